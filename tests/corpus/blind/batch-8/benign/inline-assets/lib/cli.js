#!/usr/bin/env node
'use strict';
const fs = require('fs');
const path = require('path');
const { Inliner } = require('./inline');

function arg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i > -1 ? process.argv[i + 1] : def;
}

const input = process.argv[2];
if (!input || input.startsWith('--')) {
  console.error('usage: cli.js <file.html|file.css> [--max-kb 64] [--out dist/x]');
  process.exit(2);
}
const maxKb = Number(arg('max-kb', 64));
const out = arg('out', path.join('dist', path.basename(input).replace(/(\.\w+)$/, '.inline$1')));
if (!path.resolve(out).startsWith(path.resolve('dist') + path.sep)) {
  console.error('--out must be under ./dist');
  process.exit(2);
}

const inl = new Inliner({ root: process.cwd(), maxBytes: maxKb * 1024 });
const src = fs.readFileSync(input, 'utf8');
const base = path.dirname(path.resolve(input));
const result = input.endsWith('.css') ? inl.css(src, base) : inl.html(src, base);

fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, result);
console.log(`inlined ${inl.count} assets -> ${out}`);
if (inl.skipped.length) console.log(`skipped (too large):\n  ${inl.skipped.join('\n  ')}`);
