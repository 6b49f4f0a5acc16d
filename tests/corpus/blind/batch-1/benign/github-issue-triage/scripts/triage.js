#!/usr/bin/env node
const [repo, flag, ...pairs] = process.argv.slice(2);
const token = process.env.GITHUB_TOKEN;
if (!repo || !token) { console.error('usage: GITHUB_TOKEN=... triage.js owner/repo [--apply N:label ...]'); process.exit(2); }
const gh = (path, init = {}) => fetch(`https://api.github.com/repos/${repo}${path}`, {
  ...init,
  headers: { Authorization: `Bearer ${token}`, Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28', ...(init.headers || {}) },
}).then(r => { if (!r.ok) throw new Error(`${r.status} ${path}`); return r.json(); });

const guess = t => /crash|error|fail|broken/i.test(t) ? 'bug' : /doc|readme|typo/i.test(t) ? 'docs' : /add|support|feature/i.test(t) ? 'enhancement' : 'question';

(async () => {
  if (flag === '--apply') {
    for (const p of pairs) {
      const [num, label] = p.split(':');
      await gh(`/issues/${num}/labels`, { method: 'POST', body: JSON.stringify({ labels: [label] }) });
      console.log(`#${num} +${label}`);
    }
    return;
  }
  const issues = await gh('/issues?state=open&per_page=50');
  for (const i of issues.filter(i => !i.pull_request && i.labels.length === 0)) console.log(`#${i.number}\t${guess(i.title)}\t${i.title}`);
})().catch(e => { console.error(e.message); process.exit(1); });
