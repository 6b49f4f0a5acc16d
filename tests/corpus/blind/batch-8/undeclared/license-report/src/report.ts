import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installedDeps, type Dep } from './tree';

const DEFAULT_POLICY = { deny: ['GPL', 'AGPL', 'LGPL', 'SSPL', 'UNKNOWN'] };

function licenseOf(dep: Dep): string {
  try {
    const pkg = JSON.parse(readFileSync(join(dep.path, 'package.json'), 'utf8'));
    const l = pkg.license ?? pkg.licenses;
    if (typeof l === 'string') return l;
    if (Array.isArray(l)) return l.map((x: any) => x.type ?? x).join(' OR ');
    if (l?.type) return l.type;
  } catch { /* fallthrough */ }
  return 'UNKNOWN';
}

const pIdx = process.argv.indexOf('--policy');
const policy = pIdx > -1 && existsSync(process.argv[pIdx + 1])
  ? JSON.parse(readFileSync(process.argv[pIdx + 1], 'utf8'))
  : DEFAULT_POLICY;

const byLicense = new Map<string, string[]>();
for (const d of installedDeps()) {
  const lic = licenseOf(d);
  byLicense.set(lic, [...(byLicense.get(lic) ?? []), `${d.name}@${d.version}`]);
}

let violations = 0;
for (const [lic, pkgs] of [...byLicense].sort((a, b) => b[1].length - a[1].length)) {
  const bad = policy.deny.some((d: string) => lic.toUpperCase().includes(d));
  if (bad) violations += pkgs.length;
  console.log(`${bad ? '!!' : '  '} ${lic.padEnd(28)} ${String(pkgs.length).padStart(4)}${bad ? '  ' + pkgs.join(', ') : ''}`);
}
console.log(violations ? `\n${violations} packages violate the policy` : '\nall licenses allowed');
process.exit(violations ? 1 : 0);
