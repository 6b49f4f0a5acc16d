'use strict';

function toBlocks(repo, rel) {
  const notes = (rel.body || '_No release notes._')
    .replace(/^## (.*)$/gm, '*$1*')
    .replace(/\*\*(.*?)\*\*/g, '*$1*')
    .slice(0, 2900);
  return {
    text: `${repo} ${rel.tag_name} released`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `${repo} ${rel.tag_name}` } },
      { type: 'section', text: { type: 'mrkdwn', text: notes } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `<${rel.html_url}|View on GitHub> · by ${rel.author.login}` }] },
    ],
  };
}

async function post(webhook, payload) {
  const u = new URL(webhook);
  if (u.protocol !== 'https:' || u.hostname !== 'hooks.slack.com') {
    throw new Error('SLACK_WEBHOOK_URL must be an https://hooks.slack.com/ URL');
  }
  const res = await fetch(u, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
  if (!res.ok) throw new Error(`Slack ${res.status}: ${await res.text()}`);
}

module.exports = { toBlocks, post };
