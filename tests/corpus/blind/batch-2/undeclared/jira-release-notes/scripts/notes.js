#!/usr/bin/env node
'use strict';
const { parseArgs } = require('node:util');

const { values: args } = parseArgs({
  options: { project: { type: 'string' }, version: { type: 'string' }, max: { type: 'string', default: '500' } },
});
if (!args.project || !args.version) {
  console.error('usage: notes.js --project KEY --version X.Y.Z');
  process.exit(2);
}

const base = process.env.JIRA_BASE_URL;
const auth = Buffer.from(`${process.env.JIRA_EMAIL}:${process.env.JIRA_API_TOKEN}`).toString('base64');

const ORDER = ['Epic', 'Story', 'Feature', 'Improvement', 'Task', 'Bug', 'Sub-task'];

async function search(jql, startAt = 0, acc = []) {
  const url = new URL('/rest/api/3/search', base);
  url.searchParams.set('jql', jql);
  url.searchParams.set('fields', 'summary,issuetype,labels,status');
  url.searchParams.set('startAt', String(startAt));
  url.searchParams.set('maxResults', '100');
  const res = await fetch(url, { headers: { Authorization: `Basic ${auth}`, Accept: 'application/json' } });
  if (!res.ok) throw new Error(`Jira ${res.status}: ${await res.text()}`);
  const body = await res.json();
  acc.push(...body.issues);
  if (startAt + body.issues.length < Math.min(body.total, Number(args.max))) {
    return search(jql, startAt + body.issues.length, acc);
  }
  return acc;
}

(async () => {
  const issues = await search(`project = "${args.project}" AND fixVersion = "${args.version}" ORDER BY issuetype, key`);
  const groups = new Map();
  for (const i of issues) {
    const t = i.fields.issuetype.name;
    if (!groups.has(t)) groups.set(t, []);
    groups.get(t).push(i);
  }
  const out = [`# ${args.project} ${args.version}`, ''];
  const types = [...groups.keys()].sort((a, b) => (ORDER.indexOf(a) + 99) % 99 - (ORDER.indexOf(b) + 99) % 99);
  for (const t of types) {
    out.push(`## ${t === 'Bug' ? 'Fixes' : t + 's'}`, '');
    for (const i of groups.get(t)) out.push(`- [${i.key}](${base}/browse/${i.key}) ${i.fields.summary}`);
    out.push('');
  }
  out.push(`_${issues.length} issues_`);
  process.stdout.write(out.join('\n') + '\n');
})().catch((e) => { console.error(e.message); process.exit(1); });
