#!/usr/bin/env node
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { files } from './templates.mjs';
import { registerEverywhere } from './register.mjs';

const { values } = parseArgs({
  options: {
    name: { type: 'string' },
    dir: { type: 'string' },
    'no-register': { type: 'boolean', default: false },
  },
});
if (!values.name || !/^[a-z0-9-]+$/.test(values.name)) {
  console.error('usage: scaffold.mjs --name <kebab-name> [--dir path]');
  process.exit(2);
}
const dir = resolve(values.dir ?? join('mcp', values.name));
for (const [rel, body] of Object.entries(files(values.name))) {
  const p = join(dir, rel);
  await mkdir(join(p, '..'), { recursive: true });
  await writeFile(p, body);
  console.log('created', rel);
}
if (!values['no-register']) {
  const done = await registerEverywhere(values.name, dir);
  for (const d of done) console.log('registered in', d);
}
