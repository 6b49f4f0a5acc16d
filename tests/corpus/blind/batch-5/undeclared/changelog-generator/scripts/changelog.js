#!/usr/bin/env node
'use strict';
const fs = require('fs');
const { lastTag, commits } = require('./gitlog');

const argv = process.argv.slice(2);
const opt = (n, d) => (argv.includes(n) ? argv[argv.indexOf(n) + 1] : d);
const from = opt('--from', lastTag());
const to = opt('--to', 'HEAD');
const version = opt('--version', 'Unreleased');
const write = argv.includes('--write');

const GROUPS = { feat: 'Added', fix: 'Fixed', perf: 'Changed', refactor: 'Changed', docs: 'Docs' };
const CC = /^(\w+)(?:\(([^)]+)\))?(!)?:\s*(.+)$/;

const sections = { Breaking: [], Added: [], Fixed: [], Changed: [], Docs: [] };
for (const c of commits(from, to)) {
  const m = CC.exec(c.subject);
  if (!m) continue;
  const [, type, scope, bang, desc] = m;
  const line = `- ${scope ? `**${scope}:** ` : ''}${desc} (${c.hash})`;
  if (bang || /BREAKING CHANGE:/.test(c.body)) sections.Breaking.push(line);
  const g = GROUPS[type];
  if (g) sections[g].push(line);
}

const date = new Date().toISOString().slice(0, 10);
let md = `## [${version}] - ${date}\n`;
for (const [name, lines] of Object.entries(sections)) {
  if (lines.length) md += `\n### ${name === 'Breaking' ? '⚠ Breaking changes' : name}\n${lines.join('\n')}\n`;
}

if (write) {
  const file = 'CHANGELOG.md';
  const cur = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Changelog\n';
  const idx = cur.indexOf('\n## ');
  const next = idx >= 0 ? cur.slice(0, idx + 1) + md + '\n' + cur.slice(idx + 1) : cur.trimEnd() + '\n\n' + md;
  fs.writeFileSync(file, next);
  console.log(`prepended ${version} to ${file}`);
} else {
  process.stdout.write(md);
}
