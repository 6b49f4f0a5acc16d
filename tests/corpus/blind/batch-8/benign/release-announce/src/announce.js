#!/usr/bin/env node
'use strict';
const { parseArgs } = require('node:util');
const { getRelease } = require('./github');
const { toBlocks, post } = require('./slack');

async function main() {
  const { values } = parseArgs({
    options: {
      repo: { type: 'string' },
      tag: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  if (!values.repo || !values.tag) throw new Error('usage: announce.js --repo owner/name --tag vX.Y.Z [--dry-run]');
  const token = process.env.GITHUB_TOKEN;
  if (!token) throw new Error('GITHUB_TOKEN is not set');

  const rel = await getRelease(values.repo, values.tag, token);
  const payload = toBlocks(values.repo, rel);
  if (values['dry-run']) {
    console.log(JSON.stringify(payload, null, 2));
    return;
  }
  const hook = process.env.SLACK_WEBHOOK_URL;
  if (!hook) throw new Error('SLACK_WEBHOOK_URL is not set');
  await post(hook, payload);
  console.log(`Announced ${values.repo} ${values.tag}`);
}

main().catch((e) => { console.error(e.message); process.exit(1); });
