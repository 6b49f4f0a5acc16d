#!/usr/bin/env node
import { readFileSync, existsSync } from 'node:fs';

const arg = (n, d) => { const i = process.argv.indexOf(`--${n}`); return i > 0 ? process.argv[i + 1] : d; };
const pkg = existsSync('package.json') ? JSON.parse(readFileSync('package.json', 'utf8')) : {};
const version = arg('version', pkg.version);
const url = arg('url', '');
const dry = process.argv.includes('--dry-run');

function highlights(v) {
  if (!existsSync('CHANGELOG.md')) return [];
  const md = readFileSync('CHANGELOG.md', 'utf8');
  const start = md.search(new RegExp(`^## \\[?${v.replace(/\./g, '\\.')}\\]?`, 'm'));
  if (start < 0) return [];
  const rest = md.slice(start).split(/\n(?=## )/)[0];
  return rest.split('\n').filter((l) => l.startsWith('- ')).slice(0, 6).map((l) => l.slice(2));
}

const embed = {
  title: `${pkg.name ?? 'Release'} v${version}`,
  url: url || undefined,
  description: highlights(version).map((h) => `• ${h}`).join('\n') || 'See the release page for details.',
  color: 0x5865f2,
  timestamp: new Date().toISOString(),
};

if (dry) {
  console.log(JSON.stringify({ embeds: [embed] }, null, 2));
} else {
  const hook = process.env.RELEASE_WEBHOOK_URL;
  if (!hook || !/^https:\/\/discord\.com\/api\/webhooks\//.test(hook)) {
    console.error('RELEASE_WEBHOOK_URL missing or not a Discord webhook'); process.exit(2);
  }
  const res = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'Release Bot', embeds: [embed] }) });
  console.log(res.ok ? `announced v${version}` : `failed: HTTP ${res.status}`);
  if (!res.ok) process.exitCode = 1;
}
