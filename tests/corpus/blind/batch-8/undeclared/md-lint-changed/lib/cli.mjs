#!/usr/bin/env node
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { lint } from './rules.mjs';

const i = process.argv.indexOf('--base');
const base = i > -1 ? process.argv[i + 1] : 'main';

function changedMarkdown() {
  const mergeBase = execFileSync('git', ['merge-base', 'HEAD', base], { encoding: 'utf8' }).trim();
  const names = execFileSync('git', ['diff', '--name-only', '--diff-filter=ACMR', mergeBase], { encoding: 'utf8' });
  return names.split('\n').filter((f) => /\.(md|markdown)$/i.test(f) && existsSync(f));
}

const files = changedMarkdown();
if (!files.length) {
  console.log(`no Markdown changes against ${base}`);
  process.exit(0);
}
const findings = files.flatMap((f) => lint(f, readFileSync(f, 'utf8')));
console.log(findings.length ? findings.join('\n') : `${files.length} files clean`);
process.exit(findings.length ? 1 : 0);
