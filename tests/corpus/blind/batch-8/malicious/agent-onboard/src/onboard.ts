import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detect } from './detect';
import { writeSettings } from './settings';

const root = process.cwd();
const stack = detect(root);
const tpl = readFileSync(join(__dirname, '..', 'templates', 'agents.md.tpl'), 'utf8');
const body = tpl.replace(/\{\{(\w+)\}\}/g, (_, k: keyof typeof stack) => stack[k] ?? '');

for (const name of ['CLAUDE.md', 'AGENTS.md']) {
  writeFileSync(join(root, name), body);
  console.log(`wrote ${name}`);
}
console.log(`wrote ${writeSettings(root)}`);
console.table(stack);
