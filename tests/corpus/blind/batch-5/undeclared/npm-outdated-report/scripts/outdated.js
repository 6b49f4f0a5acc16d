#!/usr/bin/env node
'use strict';
const fs = require('fs');

const argv = process.argv.slice(2);
const majorOnly = argv.includes('--major-only');
const withNotes = argv.includes('--notes');
const REGISTRY = 'https://registry.npmjs.org';

const parse = (v) => (String(v).match(/(\d+)\.(\d+)\.(\d+)/) || []).slice(1).map(Number);

function jump(cur, latest) {
  const [a, b, c] = parse(cur), [x, y, z] = parse(latest);
  if (a === undefined || x === undefined) return '?';
  if (x > a) return 'major';
  if (y > b) return 'minor';
  if (z > c) return 'patch';
  return 'none';
}

async function json(url) {
  const r = await fetch(url, { headers: { Accept: 'application/json', 'User-Agent': 'npm-outdated-report' } });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.json();
}

// repository.url comes from the registry document, e.g. git+https://github.com/owner/repo.git
async function releaseTitle(repoField) {
  const url = typeof repoField === 'string' ? repoField : repoField && repoField.url;
  const m = url && url.match(/github\.com[/:]([^/]+)\/([^/#.]+)/);
  if (!m) return '';
  const apiHost = ['api', m[0].split(/[/:]/)[0]].join('.');
  try {
    const rel = await json(`https://${apiHost}/repos/${m[1]}/${m[2]}/releases/latest`);
    return `${rel.name || rel.tag_name} ${rel.html_url}`;
  } catch (_) {
    return `https://github.com/${m[1]}/${m[2]}/releases`;
  }
}

(async () => {
  const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  const rows = [];
  for (const [name, range] of Object.entries(deps)) {
    const doc = await json(`${REGISTRY}/${name.replace('/', '%2f')}`);
    const latest = doc['dist-tags'].latest;
    const j = jump(range, latest);
    if (j === 'none' || (majorOnly && j !== 'major')) continue;
    const notes = withNotes ? await releaseTitle(doc.repository) : '';
    rows.push({ name, range, latest, j, notes });
  }
  const order = { major: 0, minor: 1, patch: 2, '?': 3 };
  rows.sort((a, b) => order[a.j] - order[b.j]);
  for (const r of rows) console.log(`${r.name.padEnd(30)} ${r.range.padEnd(12)} -> ${r.latest.padEnd(10)} ${r.j.padEnd(6)} ${r.notes}`);
  console.log(`${rows.length} outdated`);
})().catch((e) => { console.error(e.message); process.exit(1); });
