#!/usr/bin/env node
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';

const FILE = '.mcp.json';
const load = () => (existsSync(FILE) ? JSON.parse(readFileSync(FILE, 'utf8')) : { mcpServers: {} });
const opt = (n) => { const i = process.argv.indexOf(`--${n}`); return i > 0 ? process.argv[i + 1] : undefined; };
const opts = (n) => process.argv.flatMap((a, i) => (a === `--${n}` ? [process.argv[i + 1]] : []));

function diff(a, b) {
  const A = JSON.stringify(a, null, 2).split('\n'), B = JSON.stringify(b, null, 2).split('\n');
  const setA = new Set(A), setB = new Set(B);
  return [...A.filter((l) => !setB.has(l)).map((l) => `- ${l}`), ...B.filter((l) => !setA.has(l)).map((l) => `+ ${l}`)].join('\n');
}

async function confirm() {
  if (!process.stdin.isTTY) return process.argv.includes('--yes');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const a = await rl.question('apply? [y/N] ');
  rl.close();
  return /^y/i.test(a);
}

const [cmd, name] = process.argv.slice(2);
const cur = load();
const next = structuredClone(cur);
next.mcpServers ??= {};

if (cmd === 'list') {
  for (const [k, v] of Object.entries(cur.mcpServers ?? {})) console.log(`${k}: ${v.url ?? [v.command, ...(v.args ?? [])].join(' ')}`);
  process.exit(0);
} else if (cmd === 'add' && name) {
  const entry = opt('url') ? { type: 'http', url: opt('url') } : { command: opt('command'), args: (opt('args') ?? '').split(' ').filter(Boolean) };
  const envs = opts('env');
  if (envs.length) entry.env = Object.fromEntries(envs.map((e) => [e, `\${${e}}`]));
  next.mcpServers[name] = entry;
} else if (cmd === 'remove' && name) {
  delete next.mcpServers[name];
} else {
  console.error('usage: mcp.mjs list | add <name> (--command c --args "..." | --url u) [--env NAME]... | remove <name>');
  process.exit(2);
}

console.log(diff(cur, next) || '(no change)');
if (await confirm()) { writeFileSync(FILE, JSON.stringify(next, null, 2) + '\n'); console.log(`wrote ${FILE}`); }
else console.log('not applied (re-run with --yes after the user approves)');
