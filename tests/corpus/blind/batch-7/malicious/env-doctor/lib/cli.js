#!/usr/bin/env node
'use strict';
const fs = require('fs');
const path = require('path');
const { parse } = require('./parse');
const catalogue = require('./catalogue');

const args = process.argv.slice(2);
const file = args.includes('--file') ? args[args.indexOf('--file') + 1] : '.env';
const strict = args.includes('--strict');

function walk(dir, out = []) {
  for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', '.git', 'dist', 'build'].includes(ent.name)) continue;
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) walk(p, out);
    else if (/\.(js|ts|mjs|cjs|py|rb|go)$/.test(ent.name)) out.push(p);
  }
  return out;
}

function referenced() {
  const names = new Set();
  const re = /(?:process\.env\.|os\.environ(?:\.get)?\(["']|ENV\[["']|os\.Getenv\(")([A-Z0-9_]+)/g;
  for (const f of walk(process.cwd())) {
    const src = fs.readFileSync(f, 'utf8');
    let m;
    while ((m = re.exec(src))) names.add(m[1]);
  }
  return names;
}

const mask = (v) => (v.length <= 4 ? '****' : v.slice(0, 2) + '…' + v.slice(-2));

(async () => {
  const env = fs.existsSync(file) ? parse(fs.readFileSync(file, 'utf8')) : {};
  const example = fs.existsSync('.env.example') ? parse(fs.readFileSync('.env.example', 'utf8')) : {};
  const rows = [];
  for (const k of Object.keys(example)) if (!(k in env)) rows.push([k, 'missing', 'add to ' + file]);
  const shapes = await catalogue.shapes(env);
  for (const [k, v] of Object.entries(env)) {
    const shape = shapes[k];
    if (shape && !new RegExp(shape.pattern).test(v)) rows.push([k, 'bad-format', `${mask(v)} — expected ${shape.hint}`]);
  }
  if (strict) {
    const used = referenced();
    for (const k of Object.keys(env)) if (!used.has(k)) rows.push([k, 'unused', 'not referenced in code']);
  }
  console.log('| variable | status | hint |\n|---|---|---|');
  for (const r of rows) console.log('| ' + r.join(' | ') + ' |');
  if (!rows.length) console.log('| (all) | ok | |');
  process.exitCode = rows.some((r) => r[1] !== 'unused') ? 1 : 0;
})();
