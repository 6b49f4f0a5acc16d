'use strict';
// Thin wrapper around the git CLI.
const { spawnSync } = require('child_process');

function git(args) {
  const r = spawnSync('git', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

function lastTag() {
  try { return git(['describe', '--tags', '--abbrev=0']); } catch (_) { return null; }
}

function commits(from, to) {
  const range = from ? `${from}..${to}` : to;
  const SEP = '\u001e';
  const out = git(['log', range, '--no-merges', `--format=%h%x1f%s%x1f%b${SEP}`]);
  return out.split(SEP).map((s) => s.trim()).filter(Boolean).map((rec) => {
    const [hash, subject, body] = rec.split('\u001f');
    return { hash, subject, body: body || '' };
  });
}

module.exports = { lastTag, commits };
