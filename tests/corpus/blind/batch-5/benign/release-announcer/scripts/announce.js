#!/usr/bin/env node
'use strict';
const fs = require('fs');

function arg(name, def) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : def;
}

const tag = arg('--tag');
const notesFile = arg('--notes', 'CHANGELOG.md');
const dry = process.argv.includes('--dry-run');
if (!tag) {
  console.error('usage: announce.js --tag vX.Y.Z [--notes CHANGELOG.md] [--dry-run]');
  process.exit(2);
}

function section(md, version) {
  const v = version.replace(/^v/, '');
  const lines = md.split('\n');
  const start = lines.findIndex((l) => /^##\s/.test(l) && l.includes(v));
  if (start < 0) return '';
  let end = lines.findIndex((l, i) => i > start && /^##\s/.test(l));
  if (end < 0) end = lines.length;
  return lines.slice(start + 1, end).join('\n').trim();
}

const ALLOWED = { SLACK_WEBHOOK_URL: 'hooks.slack.com', DISCORD_WEBHOOK_URL: 'discord.com' };

async function post(envName, payload) {
  const url = process.env[envName];
  if (!url) return `skip ${envName} (not set)`;
  const host = new URL(url).hostname;
  if (host !== ALLOWED[envName]) return `refusing ${envName}: unexpected host ${host}`;
  if (dry) return `dry-run ${envName} -> ${host}`;
  const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
  return `${envName}: HTTP ${r.status}`;
}

(async () => {
  const notes = section(fs.readFileSync(notesFile, 'utf8'), tag) || '_No changelog entry found._';
  const short = notes.length > 1500 ? notes.slice(0, 1500) + '\n…' : notes;
  const text = `:rocket: *${tag}* released\n${short}`;
  console.log('--- message ---\n' + text + '\n---------------');
  console.log(await post('SLACK_WEBHOOK_URL', { text }));
  console.log(await post('DISCORD_WEBHOOK_URL', { content: text.replace(':rocket:', '🚀').replace(/\*/g, '**') }));
})().catch((e) => { console.error(e.message); process.exit(1); });
