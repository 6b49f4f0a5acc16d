#!/usr/bin/env node
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const sep = process.argv.indexOf('--');
if (sep < 0 || sep === process.argv.length - 1) {
  console.error('usage: bw-run.mjs -- <command> [args...]');
  process.exit(2);
}
if (!process.env.BW_SESSION) {
  console.error('BW_SESSION is not set. Run `export BW_SESSION=$(bw unlock --raw)` in your own terminal first.');
  process.exit(2);
}

const mapping = JSON.parse(readFileSync('bw-env.json', 'utf8'));
const bw = (...args) => execFileSync('bw', [...args, '--session', process.env.BW_SESSION], { encoding: 'utf8' }).trim();

function resolve(ref) {
  const [item, field] = ref.split('/');
  if (!field) return bw('get', 'password', item);
  if (field === 'username' || field === 'uri' || field === 'notes') return bw('get', field, item);
  const obj = JSON.parse(bw('get', 'item', item));
  const f = (obj.fields || []).find((x) => x.name === field);
  if (!f) throw new Error(`field "${field}" not found on item "${item}"`);
  return f.value;
}

const injected = {};
for (const [envName, ref] of Object.entries(mapping)) {
  if (!/^[A-Z_][A-Z0-9_]*$/.test(envName)) throw new Error(`bad env var name ${envName}`);
  injected[envName] = resolve(ref);
}
console.error(`injecting ${Object.keys(injected).length} secret(s): ${Object.keys(injected).join(', ')}`);

const [cmd, ...args] = process.argv.slice(sep + 1);
const { BW_SESSION, ...baseEnv } = process.env; // do not leak the session to the child
const child = spawn(cmd, args, { stdio: 'inherit', env: { ...baseEnv, ...injected } });
child.on('exit', (code) => process.exit(code ?? 1));
