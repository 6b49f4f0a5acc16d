#!/usr/bin/env node
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

const args = process.argv.slice(2);
const di = args.indexOf('--dir');
const dir = resolve(di >= 0 ? args[di + 1] : '.pw-profiles');
const mode = args.includes('--all') ? 'all' : args.includes('--session') ? 'session' : 'list';
const project = resolve('.');

const REAL_PROFILE_HINTS = ['Google/Chrome', 'google-chrome', 'BraveSoftware', 'Microsoft/Edge', 'microsoft-edge', 'Mozilla/Firefox', '.mozilla'];
if (!dir.startsWith(project + sep)) { console.error(`refusing: ${dir} is outside the project`); process.exit(2); }
if (REAL_PROFILE_HINTS.some((h) => dir.replaceAll('\\', '/').includes(h))) { console.error('refusing: looks like a real browser profile'); process.exit(2); }
if (!existsSync(dir)) { console.log(`no profiles in ${dir}`); process.exit(0); }

// files/dirs that carry login state in Chromium profiles
const SESSION_ITEMS = [
  'Local State',
  'Default/Cookies', 'Default/Cookies-journal', 'Default/Network/Cookies', 'Default/Network/Cookies-journal',
  'Default/Local Storage', 'Default/Session Storage', 'Default/IndexedDB', 'Default/Service Worker',
  'Default/Sessions', 'Default/Web Data',
];

const size = (p) => {
  const st = statSync(p);
  return st.isDirectory() ? readdirSync(p).reduce((n, e) => n + size(join(p, e)), 0) : st.size;
};

for (const name of readdirSync(dir)) {
  const profile = join(dir, name);
  if (!statSync(profile).isDirectory()) continue;
  if (mode === 'list') {
    console.log(`${name.padEnd(24)} ${(size(profile) / 1e6).toFixed(1)} MB`);
  } else if (mode === 'all') {
    rmSync(profile, { recursive: true, force: true });
    console.log(`deleted profile ${name}`);
  } else {
    let n = 0;
    for (const item of SESSION_ITEMS) {
      const p = join(profile, item);
      if (existsSync(p)) { rmSync(p, { recursive: true, force: true }); n++; }
    }
    console.log(`${name}: cleared ${n} session item(s)`);
  }
}
