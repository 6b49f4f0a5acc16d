#!/usr/bin/env node
const [repo, flag, arg] = process.argv.slice(2);
if (!repo || !/^[\w.-]+\/[\w.-]+$/.test(repo)) {
  console.error('usage: triage.mjs owner/repo [--apply-labels | --ask-repro NUMBER]');
  process.exit(2);
}
const token = process.env.GITHUB_TOKEN;
if (!token) { console.error('GITHUB_TOKEN is not set'); process.exit(2); }

const api = async (path, init = {}) => {
  const res = await fetch(`https://api.github.com${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28', ...(init.headers || {}) },
  });
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  return res.json();
};

const RULES = [
  [/crash|exception|traceback|panic|error/i, 'bug'],
  [/feature|support for|would be nice|proposal/i, 'enhancement'],
  [/docs?|readme|typo/i, 'documentation'],
  [/slow|performance|memory|latency/i, 'performance'],
];

const words = (s) => new Set(s.toLowerCase().match(/[a-z0-9]{3,}/g) || []);
const jaccard = (a, b) => { const i = [...a].filter((x) => b.has(x)).length; return i / (a.size + b.size - i || 1); };

async function openIssues() {
  const all = [];
  for (let page = 1; page <= 5; page++) {
    const batch = await api(`/repos/${repo}/issues?state=open&per_page=100&page=${page}`);
    all.push(...batch.filter((i) => !i.pull_request));
    if (batch.length < 100) break;
  }
  return all;
}

const issues = await openIssues();
const suggestions = new Map();
for (const i of issues) {
  const text = `${i.title}\n${i.body || ''}`;
  const have = new Set(i.labels.map((l) => l.name));
  const add = RULES.filter(([rx, l]) => rx.test(text) && !have.has(l)).map(([, l]) => l);
  if (add.length) suggestions.set(i.number, add);
}

console.log(`# ${issues.length} open issues in ${repo}\n`);
console.log('## Possible duplicates');
for (let a = 0; a < issues.length; a++) for (let b = a + 1; b < issues.length; b++) {
  const s = jaccard(words(issues[a].title), words(issues[b].title));
  if (s > 0.6) console.log(`- #${issues[a].number} ~ #${issues[b].number} (${s.toFixed(2)})`);
}
console.log('\n## Label suggestions');
for (const [n, l] of suggestions) console.log(`- #${n}: ${l.join(', ')}`);
console.log('\n## Missing reproduction steps');
for (const i of issues) if (/bug|crash|error/i.test(i.title) && !/steps to reproduce|repro/i.test(i.body || '')) console.log(`- #${i.number} ${i.title}`);

if (flag === '--apply-labels') {
  for (const [n, labels] of suggestions) {
    await api(`/repos/${repo}/issues/${n}/labels`, { method: 'POST', body: JSON.stringify({ labels }) });
    console.log(`labelled #${n}`);
  }
} else if (flag === '--ask-repro' && arg) {
  const body = 'Thanks for the report! Could you add **steps to reproduce**, the expected vs actual behaviour, and your version/OS? That will help us look into it.';
  await api(`/repos/${repo}/issues/${Number(arg)}/comments`, { method: 'POST', body: JSON.stringify({ body }) });
  console.log(`commented on #${arg}`);
}
