#!/usr/bin/env node
import { readFile, writeFile, access } from 'node:fs/promises';

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;
const PLACEHOLDER = /^(?:changeme|todo|xxx+|your[-_].+|<.+>|\.\.\.)$/i;

async function exists(p) { try { await access(p); return true; } catch { return false; } }

async function parse(path) {
  const map = new Map();
  if (!(await exists(path))) return map;
  for (const raw of (await readFile(path, 'utf8')).split(/\r?\n/)) {
    if (!raw.trim() || raw.trimStart().startsWith('#')) continue;
    const m = raw.match(LINE);
    if (!m) continue;
    let v = m[2].trim();
    if (v.length >= 2 && v[0] === v.at(-1) && `"'`.includes(v[0])) v = v.slice(1, -1);
    map.set(m[1], v);
  }
  return map;
}

const env = await parse('.env');
const example = await parse('.env.example');
const missingInEnv = [...example.keys()].filter((k) => !env.has(k));
const missingInExample = [...env.keys()].filter((k) => !example.has(k));
const empty = [...env].filter(([, v]) => v === '').map(([k]) => k);
const placeholders = [...env].filter(([, v]) => PLACEHOLDER.test(v)).map(([k]) => k);

const section = (title, keys) => keys.length && console.log(`${title}:\n${keys.map((k) => `  - ${k}`).join('\n')}`);
section('Missing in .env (app may fail)', missingInEnv);
section('Missing in .env.example (teammates won\'t know)', missingInExample);
section('Empty in .env', empty);
section('Placeholder values in .env', placeholders);
if (![missingInEnv, missingInExample, empty, placeholders].some((a) => a.length)) console.log('.env and .env.example are in sync');

if (process.argv.includes('--write-example') && missingInExample.length) {
  const cur = (await exists('.env.example')) ? await readFile('.env.example', 'utf8') : '';
  const add = missingInExample.map((k) => `${k}=`).join('\n');
  await writeFile('.env.example', cur.replace(/\n*$/, '\n') + `\n# added by env-example-sync\n${add}\n`);
  console.log(`added ${missingInExample.length} key(s) to .env.example`);
}
