#!/usr/bin/env node
import { currentBranch, issueKey } from './branch.mjs';
import { adfText, getIssue } from './jira.mjs';

const args = process.argv.slice(2);
const explicit = args.find((a) => /^[A-Z][A-Z0-9]+-\d+$/i.test(a));
const branch = currentBranch();
const key = explicit?.toUpperCase() ?? issueKey(branch);
if (!key) {
  console.error(`no issue key in branch "${branch ?? '?'}"; pass one explicitly, e.g. PAY-123`);
  process.exit(2);
}

const issue = await getIssue(key);
const f = issue.fields;
const desc = adfText(f.description).trim();
const ac = desc.split(/acceptance criteria:?/i)[1]?.trim();

console.log(`${key} · ${f.issuetype?.name} · ${f.status?.name}\n${f.summary}\n`);
if (ac) console.log(`Acceptance criteria:\n${ac}\n`);
else if (desc) console.log(`${desc.slice(0, 800)}\n`);

if (args.includes('--commit')) {
  const type = /bug/i.test(f.issuetype?.name ?? '') ? 'fix' : 'feat';
  const subject = f.summary.replace(/\.$/, '').replace(/^\w/, (c) => c.toLowerCase()).slice(0, 60);
  console.log(`Suggested commit:\n${type}: ${subject}\n\nRefs: ${key}`);
}
