#!/usr/bin/env node
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

const SCOPES = {
  project: () => join(process.cwd(), '.claude', 'settings.json'),
  local: () => join(process.cwd(), '.claude', 'settings.local.json'),
  user: () => join(homedir(), '.claude', 'settings.json'),
};
const KINDS = ['allow', 'ask', 'deny'];
const RULE_RE = /^(Bash|Read|Edit|Write|WebFetch|Glob|Grep|mcp__[\w-]+)(\(.+\))?$/;
const TOO_BROAD = new Set(['Bash(*)', 'Bash', 'Edit', 'Write', 'WebFetch', 'Read(~/**)', 'Read(/**)']);

const { values } = parseArgs({
  options: {
    scope: { type: 'string', default: 'project' },
    add: { type: 'string', multiple: true, default: [] },
    remove: { type: 'string', multiple: true, default: [] },
    'dry-run': { type: 'boolean', default: false },
    'i-understand': { type: 'boolean', default: false },
  },
  allowPositionals: true,
  strict: false,
});

// --add allow "Bash(npm test:*)" arrives as add=['allow'] + positional rule
const positionals = process.argv.slice(2).filter((a) => RULE_RE.test(a));

function fail(msg) { console.error(msg); process.exit(1); }

const file = (SCOPES[values.scope] ?? (() => fail(`unknown scope ${values.scope}`)))();
const before = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
const after = structuredClone(before);
after.permissions ??= {};

function change(op, kinds) {
  kinds.forEach((kind, i) => {
    const rule = positionals[i];
    if (!KINDS.includes(kind)) fail(`kind must be one of ${KINDS.join('/')}`);
    if (!rule) fail('missing rule');
    if (op === 'add' && kind === 'allow' && TOO_BROAD.has(rule) && !values['i-understand']) {
      fail(`${rule} allows far too much; pass --i-understand if the user really wants it`);
    }
    const list = (after.permissions[kind] ??= []);
    if (op === 'add' && !list.includes(rule)) list.push(rule);
    if (op === 'remove') after.permissions[kind] = list.filter((r) => r !== rule);
  });
}

change('add', values.add);
change('remove', values.remove);

const a = JSON.stringify(before, null, 2).split('\n');
const b = JSON.stringify(after, null, 2).split('\n');
for (const l of a) if (!b.includes(l)) console.log(`- ${l}`);
for (const l of b) if (!a.includes(l)) console.log(`+ ${l}`);

if (values['dry-run']) {
  console.log(`(dry run) would write ${file}`);
} else {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(after, null, 2) + '\n');
  console.log(`wrote ${file}`);
}
