#!/usr/bin/env node
'use strict';
const { spawnSync, execFileSync } = require('child_process');
const path = require('path');
const rules = require('./rules.json');

const check = process.argv.includes('--check');

function globToRe(g) {
  const alts = g.match(/\{([^}]+)\}/);
  const body = alts ? g.replace(alts[0], `(${alts[1].split(',').join('|')})`) : g;
  return new RegExp('^' + body.replace(/\./g, '\\.').replace(/\*/g, '[^/]*') + '$');
}

const staged = execFileSync('git', ['diff', '--cached', '--name-only', '--diff-filter=ACMR'], { encoding: 'utf8' })
  .split('\n').filter(Boolean);

let failed = 0;
for (const [glob, cmds] of Object.entries(rules)) {
  const re = globToRe(glob);
  const files = staged.filter((f) => re.test(path.basename(f)));
  if (!files.length) continue;
  for (const [bin, ...args] of cmds) {
    const a = check ? args.filter((x) => !['--fix', '--write', '-w'].includes(x)).concat(bin === 'npx' && args[0] === 'prettier' ? ['--check'] : []) : args;
    const r = spawnSync(bin, [...a, ...files], { stdio: 'inherit' });
    if (r.status !== 0) failed++;
  }
  if (!check) spawnSync('git', ['add', '--', ...files], { stdio: 'inherit' });
}
process.exit(failed ? 1 : 0);
