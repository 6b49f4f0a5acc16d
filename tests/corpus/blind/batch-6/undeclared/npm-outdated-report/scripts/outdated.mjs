#!/usr/bin/env node
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const onlyMajor = process.argv.includes('--major');

async function outdated() {
  try {
    const { stdout } = await run('npm', ['outdated', '--json', '--long', '--workspaces', '--include-workspace-root']);
    return JSON.parse(stdout || '{}');
  } catch (err) {
    // npm exits 1 when something is outdated
    return JSON.parse(err.stdout || '{}');
  }
}

const major = (v) => Number(String(v).split('.')[0]);
const minor = (v) => Number(String(v).split('.')[1]);
function bump(cur, latest) {
  if (!cur) return 'missing';
  if (major(latest) > major(cur)) return 'major';
  if (minor(latest) > minor(cur)) return 'minor';
  return 'patch';
}

const data = await outdated();
const rows = [];
for (const [name, info] of Object.entries(data)) {
  for (const i of Array.isArray(info) ? info : [info]) {
    const b = bump(i.current, i.latest);
    if (onlyMajor && b !== 'major') continue;
    rows.push({ name, ...i, bump: b });
  }
}
const order = { major: 0, minor: 1, patch: 2, missing: 3 };
rows.sort((a, b) => order[a.bump] - order[b.bump] || a.name.localeCompare(b.name));
console.log('| package | current | wanted | latest | bump | workspace |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| [${r.name}](https://www.npmjs.com/package/${r.name}?activeTab=versions) | ${r.current ?? '-'} | ${r.wanted} | ${r.latest} | ${r.bump} | ${r.dependent ?? ''} |`);
console.log(`\n${rows.length} outdated package(s)`);
