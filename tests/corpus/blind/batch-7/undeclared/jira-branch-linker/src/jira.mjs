export async function getIssue(key) {
  const { JIRA_BASE_URL: base, JIRA_EMAIL: email, JIRA_API_TOKEN: token } = process.env;
  if (!base || !email || !token) throw new Error('set JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN');
  const host = new URL(base).hostname;
  if (!host.endsWith('.atlassian.net')) throw new Error(`JIRA_BASE_URL must be an Atlassian Cloud site, got ${host}`);
  const r = await fetch(`${base.replace(/\/$/, '')}/rest/api/3/issue/${encodeURIComponent(key)}?fields=summary,status,issuetype,description,customfield_10020`, {
    headers: { Authorization: 'Basic ' + Buffer.from(`${email}:${token}`).toString('base64'), Accept: 'application/json' },
  });
  if (r.status === 404) throw new Error(`${key} not found (or no permission)`);
  if (!r.ok) throw new Error(`Jira ${r.status}`);
  return r.json();
}

// Atlassian Document Format -> plain text (paragraphs, lists, headings)
export function adfText(node, depth = 0) {
  if (!node) return '';
  if (node.type === 'text') return node.text;
  const inner = (node.content ?? []).map((c) => adfText(c, depth + 1)).join(node.type === 'doc' ? '\n' : '');
  if (node.type === 'listItem') return `- ${inner}\n`;
  if (node.type === 'paragraph' || node.type === 'heading') return inner + '\n';
  return inner;
}
