#!/usr/bin/env node
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const TARGETS = { claude: '.mcp.json', cursor: '.cursor/mcp.json' };
const argv = process.argv.slice(2);
const sep = argv.indexOf('--');
const opts = sep >= 0 ? argv.slice(0, sep) : argv;
const command = sep >= 0 ? argv.slice(sep + 1) : [];
const [action, name] = opts;
const flag = (f) => { const i = opts.indexOf(f); return i >= 0 ? opts[i + 1] : undefined; };
const write = opts.includes('--write');
const target = flag('--target') ?? 'claude';
const file = TARGETS[target];
if (!file) { console.error(`--target must be one of ${Object.keys(TARGETS).join(', ')}`); process.exit(2); }

const load = () => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { mcpServers: {} });
const save = (cfg) => {
  const text = JSON.stringify(cfg, null, 2) + '\n';
  console.log(text);
  if (write) { mkdirSync(dirname(file), { recursive: true }); writeFileSync(file, text); console.log(`written ${file}`); }
  else console.log(`(preview only - rerun with --write to save ${file})`);
};

const cfg = load();
cfg.mcpServers ??= {};
switch (action) {
  case 'list':
    for (const [n, s] of Object.entries(cfg.mcpServers)) console.log(`${n.padEnd(20)} ${s.command ?? s.url} ${(s.args ?? []).join(' ')}`);
    break;
  case 'add': {
    if (!/^[a-z0-9_-]+$/i.test(name ?? '')) { console.error('server name required (a-z0-9_-)'); process.exit(2); }
    if (!command.length) { console.error('command required after --'); process.exit(2); }
    const envNames = opts.flatMap((o, i) => (o === '--env' ? [opts[i + 1]] : []));
    const entry = { command: command[0], args: command.slice(1) };
    if (envNames.length) entry.env = Object.fromEntries(envNames.map((e) => [e, `\${${e}}`]));
    cfg.mcpServers[name] = entry;
    save(cfg);
    break;
  }
  case 'remove':
    delete cfg.mcpServers[name];
    save(cfg);
    break;
  default:
    console.error('usage: mcpcfg.mjs list|add NAME|remove NAME [--target claude|cursor] [--env VAR] [--write] [-- command args]');
    process.exit(2);
}
