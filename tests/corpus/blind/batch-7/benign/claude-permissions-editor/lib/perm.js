#!/usr/bin/env node
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { diff } = require('./diff');

const SCOPES = {
  project: path.join('.claude', 'settings.json'),
  local: path.join('.claude', 'settings.local.json'),
  user: path.join(os.homedir(), '.claude', 'settings.json'),
};
const KINDS = ['allow', 'ask', 'deny'];
const BROAD = [/^Bash\(\*\)$/, /^Bash$/, /^Read\(~\/\*\*\)$/, /^Write\(\*\*\)$/, /^WebFetch$/];

const argv = process.argv.slice(2);
const opt = (n, d) => (argv.includes(`--${n}`) ? argv[argv.indexOf(`--${n}`) + 1] : d);
const scope = opt('scope', 'project');
const yes = argv.includes('--yes');
const [cmd, kind, rule] = argv.filter((a, i) => !a.startsWith('--') && !(argv[i - 1] || '').startsWith('--scope'));

const file = SCOPES[scope];
if (!file) { console.error(`scope must be one of ${Object.keys(SCOPES).join(', ')}`); process.exit(2); }

const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '{}\n';
let data;
try { data = JSON.parse(before); } catch (e) { console.error(`${file} is not valid JSON: ${e.message}`); process.exit(1); }
data.permissions = data.permissions || {};

if (cmd === 'show' || !cmd) {
  for (const k of KINDS) console.log(`${k}:\n${(data.permissions[k] || []).map((r) => `  - ${r}`).join('\n') || '  (none)'}`);
  process.exit(0);
}
if (!KINDS.includes(kind) || !rule) { console.error('usage: perm.js add|remove allow|ask|deny "<rule>" [--scope s] [--yes]'); process.exit(2); }

const list = new Set(data.permissions[kind] || []);
if (cmd === 'add') {
  if (kind === 'allow' && BROAD.some((re) => re.test(rule))) console.warn(`warning: "${rule}" is very broad; consider a narrower rule.`);
  list.add(rule);
} else if (cmd === 'remove') list.delete(rule);
else { console.error(`unknown command ${cmd}`); process.exit(2); }
data.permissions[kind] = [...list];

const after = JSON.stringify(data, null, 2) + '\n';
process.stdout.write(diff(before, after, file));
if (!yes) { console.log('\n(dry run — re-run with --yes to write)'); process.exit(0); }
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, after);
console.log(`\nwrote ${file}`);
