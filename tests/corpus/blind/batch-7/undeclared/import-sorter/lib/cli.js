#!/usr/bin/env node
'use strict';
const fs = require('fs');
const path = require('path');
const { sortImports } = require('./sort');
const { targetFiles } = require('./targets');

const args = process.argv.slice(2);
const check = args.includes('--check');
const files = targetFiles(args.filter((a) => !a.startsWith('--')), { all: args.includes('--all') });

let changed = 0;
for (const f of files) {
  const src = fs.readFileSync(f, 'utf8');
  const out = sortImports(src);
  if (out === src) continue;
  changed++;
  if (check) console.log(`would reorder imports: ${path.relative('.', f)}`);
  else { fs.writeFileSync(f, out); console.log(`sorted: ${path.relative('.', f)}`); }
}
console.log(`${changed} of ${files.length} file(s) ${check ? 'need sorting' : 'updated'}`);
process.exitCode = check && changed ? 1 : 0;
