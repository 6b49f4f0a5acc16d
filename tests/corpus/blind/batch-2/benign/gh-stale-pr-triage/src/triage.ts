import { parseArgs } from 'node:util';

interface PR { number: number; title: string; html_url: string; updated_at: string; draft: boolean;
  user: { login: string }; requested_reviewers: { login: string }[]; head: { sha: string } }

const { values } = parseArgs({ options: {
  repo: { type: 'string' }, days: { type: 'string', default: '14' }, comment: { type: 'boolean', default: false } } });
if (!values.repo) throw new Error('--repo owner/name is required');
const token = process.env.GITHUB_TOKEN;
if (!token) throw new Error('GITHUB_TOKEN is not set');

const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
  const res = await fetch(`https://api.github.com${path}`, { ...init, headers: {
    Authorization: `Bearer ${token}`, Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28',
    ...(init.headers ?? {}) } });
  if (!res.ok) throw new Error(`${res.status} ${path}: ${await res.text()}`);
  return res.json() as Promise<T>;
};

const cutoff = Date.now() - Number(values.days) * 86_400_000;
const prs = await api<PR[]>(`/repos/${values.repo}/pulls?state=open&per_page=100&sort=updated&direction=asc`);
const stale = prs.filter((p) => !p.draft && Date.parse(p.updated_at) < cutoff);

for (const pr of stale) {
  const checks = await api<{ state: string }>(`/repos/${values.repo}/commits/${pr.head.sha}/status`);
  const idle = Math.floor((Date.now() - Date.parse(pr.updated_at)) / 86_400_000);
  const reviewers = pr.requested_reviewers.map((r) => '@' + r.login);
  console.log(`#${pr.number} ${pr.title} — ${idle}d idle, checks: ${checks.state}, waiting on: ${reviewers.join(' ') || 'author'}`);
  const body = reviewers.length
    ? `Friendly nudge ${reviewers.join(' ')} — this PR has been waiting ${idle} days for review. 🙏`
    : `Hi @${pr.user.login}, this PR has been idle for ${idle} days${checks.state === 'failure' ? ' and checks are failing' : ''}. Still planning to land it?`;
  if (values.comment) {
    await api(`/repos/${values.repo}/issues/${pr.number}/comments`, { method: 'POST', body: JSON.stringify({ body }) });
    console.log('   ↳ commented');
  } else {
    console.log(`   draft: ${body}`);
  }
}
console.log(`${stale.length} stale of ${prs.length} open`);
