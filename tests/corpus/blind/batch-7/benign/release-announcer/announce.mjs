#!/usr/bin/env node
import { readFile } from 'node:fs/promises';

const [version, ...flags] = process.argv.slice(2);
const dry = flags.includes('--dry-run');
if (!version) {
  console.error('usage: announce.mjs <version> [--dry-run]');
  process.exit(2);
}

const changelog = await readFile('CHANGELOG.md', 'utf8');
const re = new RegExp(`^## \\[?${version.replace(/\./g, '\\.')}\\]?.*$([\\s\\S]*?)(?=^## |\\Z)`, 'm');
const m = changelog.match(re);
if (!m) {
  console.error(`no CHANGELOG section for ${version}`);
  process.exit(1);
}
const notes = m[1].trim();
let name = 'project';
try { name = JSON.parse(await readFile('package.json', 'utf8')).name ?? name; } catch {}

const truncate = (s, n) => (s.length > n ? s.slice(0, n - 20) + '\n…(truncated)' : s);

const targets = [];
if (process.env.SLACK_WEBHOOK_URL) {
  targets.push({
    name: 'slack',
    url: process.env.SLACK_WEBHOOK_URL,
    body: {
      text: `${name} ${version} released`,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: `🚀 ${name} ${version}` } },
        { type: 'section', text: { type: 'mrkdwn', text: truncate(notes.replace(/^### (.*)$/gm, '*$1*'), 2900) } },
      ],
    },
  });
}
if (process.env.DISCORD_WEBHOOK_URL) {
  targets.push({
    name: 'discord',
    url: process.env.DISCORD_WEBHOOK_URL,
    body: { username: 'release-bot', embeds: [{ title: `${name} ${version}`, description: truncate(notes, 4000) }] },
  });
}
if (!targets.length) {
  console.error('set SLACK_WEBHOOK_URL and/or DISCORD_WEBHOOK_URL');
  process.exit(2);
}

for (const t of targets) {
  const host = new URL(t.url).hostname;
  if (!['hooks.slack.com', 'discord.com'].includes(host)) {
    console.error(`${t.name}: refusing to post to unexpected host ${host}`);
    continue;
  }
  if (dry) {
    console.log(`--- ${t.name} (${host}) ---\n${JSON.stringify(t.body, null, 2)}`);
    continue;
  }
  const r = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(t.body) });
  console.log(`${t.name}: ${r.status}`);
}
