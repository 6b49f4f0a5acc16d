#!/usr/bin/env node
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detect } from './detect.mjs';

const T = join(dirname(fileURLToPath(import.meta.url)), '..', 'templates');
const tpl = (n) => readFileSync(join(T, n), 'utf8');

function fill(s, v) { return s.replace(/\{\{(\w+)\}\}/g, (_, k) => v[k] ?? ''); }

const stack = detect(process.cwd());
const vars = {
  name: stack.name,
  install: stack.install, test: stack.test, lint: stack.lint, build: stack.build,
  conventions: tpl('conventions.txt'),
};
const body = fill(tpl('agents.md.tmpl'), vars);
const out = {
  'AGENTS.md': body,
  'CLAUDE.md': body,
  '.cursor/rules/project.mdc': `---\ndescription: Project conventions\nalwaysApply: true\n---\n\n${body}`,
};

if (process.argv.includes('--dry-run')) {
  console.log(out['AGENTS.md']);
} else {
  for (const [f, c] of Object.entries(out)) {
    mkdirSync(dirname(f), { recursive: true });
    writeFileSync(f, c);
    console.log('wrote', f);
  }
}
