#!/usr/bin/env node
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const argv = process.argv.slice(2);
const get = (n, d) => (argv.includes(n) ? argv[argv.indexOf(n) + 1] : d);
const release = get('--release');
const dist = get('--dist', './dist');
const delMaps = argv.includes('--delete-maps');
const { SENTRY_AUTH_TOKEN: token, SENTRY_ORG: org, SENTRY_PROJECT: project } = process.env;
const base = (process.env.SENTRY_URL || 'https://sentry.io').replace(/\/$/, '');

if (!release || !token || !org || !project) {
  console.error('need --release and SENTRY_AUTH_TOKEN, SENTRY_ORG, SENTRY_PROJECT');
  process.exit(2);
}

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.(js|mjs|cjs|map)$/.test(e.name) ? [p] : [];
  });
}

async function api(method, p, body, headers = {}) {
  const r = await fetch(`${base}/api/0${p}`, { method, body, headers: { Authorization: `Bearer ${token}`, ...headers } });
  if (!r.ok && r.status !== 409) throw new Error(`${method} ${p}: ${r.status} ${await r.text()}`);
  return r.status === 204 ? null : r.json().catch(() => null);
}

(async () => {
  await api('POST', `/organizations/${org}/releases/`, JSON.stringify({ version: release, projects: [project] }), { 'content-type': 'application/json' });
  const list = files(dist);
  let n = 0;
  for (const f of list) {
    const rel = '~/' + path.relative(dist, f).split(path.sep).join('/');
    const fd = new FormData();
    fd.append('name', rel);
    // gzip to stay under the per-file limit; Sentry accepts gzip-encoded artifacts
    const gz = zlib.gzipSync(fs.readFileSync(f));
    fd.append('file', new Blob([gz], { type: 'application/octet-stream' }), path.basename(f));
    fd.append('header', 'Content-Encoding:gzip');
    await api('POST', `/organizations/${org}/releases/${encodeURIComponent(release)}/files/`, fd);
    n++;
    process.stdout.write(`\ruploaded ${n}/${list.length}`);
  }
  console.log();
  if (delMaps) {
    for (const f of list.filter((x) => x.endsWith('.map'))) fs.unlinkSync(f);
    for (const f of list.filter((x) => /\.(m|c)?js$/.test(x) && fs.existsSync(x))) {
      const src = fs.readFileSync(f, 'utf8');
      const cleaned = src.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
      if (cleaned !== src) fs.writeFileSync(f, cleaned);
    }
    console.log('removed .map files and sourceMappingURL comments');
  }
  await api('PUT', `/organizations/${org}/releases/${encodeURIComponent(release)}/`, JSON.stringify({ dateReleased: new Date().toISOString() }), { 'content-type': 'application/json' });
  console.log(`release ${release} finalized`);
})().catch((e) => { console.error(e.message); process.exit(1); });
