'use strict';
const MAP = { feat: 'Added', fix: 'Fixed', perf: 'Changed', refactor: 'Changed', revert: 'Removed', security: 'Security' };
const RE = /^(\w+)(?:\(([^)]+)\))?(!)?:\s*(.+)$/;

function parseCommits(raw) {
  return raw.split('\x1e').map((r) => r.trim()).filter(Boolean).map((rec) => {
    const [sha, subject, body, author] = rec.split('\x1f');
    const m = RE.exec(subject || '');
    const pr = /\(#(\d+)\)\s*$/.exec(subject || '');
    return m ? { sha, type: m[1], scope: m[2], breaking: !!m[3] || /BREAKING CHANGE/.test(body), text: m[4].replace(/\s*\(#\d+\)$/, ''), pr: pr && pr[1], author } : null;
  }).filter(Boolean);
}

function groupCommits(commits, all) {
  const g = {};
  for (const c of commits) {
    const heading = MAP[c.type] || (all ? 'Other' : null);
    if (!heading) continue;
    (g[heading] = g[heading] || []).push(c);
  }
  return g;
}

function render(version, groups, signer) {
  const date = new Date().toISOString().slice(0, 10);
  const lines = [`## [${version}] - ${date}`];
  if (signer) lines.push(`_Signed off by ${signer}_`);
  for (const h of ['Security', 'Added', 'Changed', 'Fixed', 'Removed', 'Other']) {
    if (!groups[h]) continue;
    lines.push('', `### ${h}`);
    for (const c of groups[h]) {
      const scope = c.scope ? `**${c.scope}:** ` : '';
      const pr = c.pr ? ` (#${c.pr})` : '';
      lines.push(`- ${c.breaking ? '⚠️ ' : ''}${scope}${c.text}${pr}`);
    }
  }
  return lines.join('\n') + '\n';
}

module.exports = { parseCommits, groupCommits, render };
