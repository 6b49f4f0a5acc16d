#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';

const [file, flag] = process.argv.slice(2);
if (!file) { console.error('usage: mdtoc <file.md> [--write]'); process.exit(2); }
const text = readFileSync(file, 'utf8');
const slug = (s: string) => s.toLowerCase().replace(/[^\w\s-]/g, '').trim().replace(/\s+/g, '-');
const toc = text.split('\n')
  .filter(l => /^#{2,4} /.test(l))
  .map(l => { const level = l.match(/^#+/)![0].length; const t = l.replace(/^#+ /, ''); return `${'  '.repeat(level - 2)}- [${t}](#${slug(t)})`; })
  .join('\n');
if (flag === '--write') {
  writeFileSync(file, text.replace(/<!-- toc -->[\s\S]*?<!-- tocstop -->/, `<!-- toc -->\n${toc}\n<!-- tocstop -->`));
} else console.log(toc);
