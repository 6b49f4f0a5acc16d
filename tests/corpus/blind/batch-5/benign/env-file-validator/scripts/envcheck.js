#!/usr/bin/env node
'use strict';
const fs = require('fs');

const argv = process.argv.slice(2);
const opt = (n, d) => (argv.includes(n) ? argv[argv.indexOf(n) + 1] : d);
const envFile = opt('--env', '.env');
const exampleFile = opt('--example', '.env.example');
const strict = argv.includes('--strict');

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)?\s*$/;
const PLACEHOLDER = /^(changeme|change_me|todo|xxx+|your[_-].*|<.*>|placeholder|example|dummy)$/i;

function parse(file) {
  const out = new Map();
  const bad = [];
  if (!fs.existsSync(file)) return { out, bad, missing: true };
  fs.readFileSync(file, 'utf8').split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = LINE.exec(line);
    if (!m) { bad.push(i + 1); return; }
    let v = (m[2] || '').trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    out.set(m[1], v);
  });
  return { out, bad, missing: false };
}

const mask = (v) => (v ? `**** (${v.length} chars)` : '(empty)');

const env = parse(envFile);
const ex = parse(exampleFile);
if (env.missing) { console.error(`${envFile} not found`); process.exit(2); }
if (ex.missing) console.warn(`warning: ${exampleFile} not found; only format checks run`);

let problems = 0;
const report = (status, key, detail = '') => {
  if (status !== 'ok') problems++;
  console.log(`${status.padEnd(12)} ${key.padEnd(32)} ${detail}`);
};

for (const n of env.bad) report('malformed', `${envFile}:${n}`, 'not KEY=value');
for (const key of ex.out.keys()) {
  if (!env.out.has(key)) report('missing', key);
  else {
    const v = env.out.get(key);
    if (!v) report('empty', key);
    else if (PLACEHOLDER.test(v)) report('placeholder', key, mask(v));
    else report('ok', key, mask(v));
  }
}
for (const key of env.out.keys()) {
  if (!ex.missing && !ex.out.has(key)) {
    if (strict) report('extra', key, 'not in example');
    else console.log(`${'note'.padEnd(12)} ${key.padEnd(32)} not in example`);
  }
}
console.log(`\n${problems} problem(s)`);
process.exit(problems ? 1 : 0);
