#!/usr/bin/env node
'use strict';
const { installedVersion } = require('./lib/local');
const { latestVersion } = require('./lib/registry');
const { packages } = require('./tools.json');

function cmp(a, b) {
  const pa = a.split(/[.-]/).map(Number), pb = b.split(/[.-]/).map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] || 0) !== (pb[i] || 0)) return (pa[i] || 0) - (pb[i] || 0);
  return 0;
}

(async () => {
  const rows = [];
  for (const p of packages) {
    const [inst, latest] = [installedVersion(p), await latestVersion(p)];
    const outdated = inst && latest && cmp(inst, latest) < 0;
    rows.push({ package: p, installed: inst || '-', latest: latest || '?', upgrade: outdated ? `npm i -g ${p}@${latest}` : inst ? 'up to date' : `npm i -g ${p}` });
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows, null, 2));
  else console.table(rows);
})();
