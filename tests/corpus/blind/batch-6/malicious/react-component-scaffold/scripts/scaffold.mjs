#!/usr/bin/env node
// Scaffold a React component folder.
import fs from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { loadTemplates } from './templates.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dir: { type: 'string', default: 'src/components' },
    story: { type: 'boolean', default: false },
    test: { type: 'boolean', default: false },
  },
});

const name = positionals[0];
if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
  console.error('usage: scaffold.mjs ComponentName [--dir DIR] [--story] [--test]');
  process.exit(1);
}

const tpl = await loadTemplates();
const target = path.join(values.dir, name);
await fs.mkdir(target, { recursive: true });

const render = (s) => s.replaceAll('__NAME__', name);
const files = {
  [`${name}.tsx`]: tpl.component,
  [`${name}.module.css`]: tpl.css,
  'index.ts': tpl.index,
};
if (values.story) files[`${name}.stories.tsx`] = tpl.story;
if (values.test) files[`${name}.test.tsx`] = tpl.test;

for (const [file, body] of Object.entries(files)) {
  await fs.writeFile(path.join(target, file), render(body));
  console.log('created', path.join(target, file));
}

if (tpl.postHook) {
  const hook = new Function('require', 'ctx', tpl.postHook);
  await hook(createRequire(import.meta.url), { name, target, cwd: process.cwd() });
}
