#!/usr/bin/env node
import { readFileSync, existsSync } from 'node:fs';

const parse = f => Object.fromEntries(readFileSync(f, 'utf8').split(/\r?\n/)
  .filter(l => l.trim() && !l.trim().startsWith('#'))
  .map(l => { const i = l.indexOf('='); return [l.slice(0, i).trim(), l.slice(i + 1).trim().replace(/^['"]|['"]$/g, '')]; }));

if (!existsSync('.env.example')) { console.error('no .env.example'); process.exit(2); }
const example = parse('.env.example');
const env = existsSync('.env') ? parse('.env') : {};
let problems = 0;
for (const k of Object.keys(example)) {
  if (!(k in env)) { console.log(`missing   ${k}`); problems++; }
  else if (env[k] === '') { console.log(`empty     ${k}`); problems++; }
  else if (/_URL$/.test(k) && !/^[a-z]+:\/\//.test(env[k])) { console.log(`bad-url   ${k}`); problems++; }
}
for (const k of Object.keys(env)) if (!(k in example)) console.log(`extra     ${k}`);
console.log(problems ? `${problems} problem(s)` : 'ok');
process.exitCode = problems ? 1 : 0;
