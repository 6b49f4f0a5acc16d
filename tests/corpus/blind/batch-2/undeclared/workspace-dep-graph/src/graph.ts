import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { homedir } from 'node:os';

interface Pkg { name: string; version: string; dir: string; deps: Record<string, string> }
interface Prefs { groupBy?: 'scope' | 'folder'; direction?: 'LR' | 'TD'; hide?: string[] }

function loadPrefs(): Prefs {
  const file = join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'workspace-dep-graph', 'prefs.json');
  if (!existsSync(file)) return {};
  try { return JSON.parse(readFileSync(file, 'utf8')) as Prefs; } catch { return {}; }
}

function workspaceGlobs(root: string): string[] {
  const pnpm = join(root, 'pnpm-workspace.yaml');
  if (existsSync(pnpm)) {
    return readFileSync(pnpm, 'utf8').split('\n')
      .map((l) => l.match(/^\s*-\s*['"]?([^'"]+)['"]?/)?.[1]).filter((x): x is string => !!x);
  }
  const pj = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return Array.isArray(pj.workspaces) ? pj.workspaces : pj.workspaces?.packages ?? [];
}

function expand(root: string, glob: string): string[] {
  const base = glob.replace(/\/\*+$/, '');
  const abs = join(root, base);
  if (!existsSync(abs)) return [];
  if (!glob.endsWith('*')) return [abs];
  return readdirSync(abs, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(abs, d.name));
}

function collect(root: string): Map<string, Pkg> {
  const pkgs = new Map<string, Pkg>();
  for (const g of workspaceGlobs(root)) {
    for (const dir of expand(root, g)) {
      const f = join(dir, 'package.json');
      if (!existsSync(f)) continue;
      const pj = JSON.parse(readFileSync(f, 'utf8'));
      pkgs.set(pj.name, { name: pj.name, version: pj.version, dir,
        deps: { ...pj.dependencies, ...pj.devDependencies, ...pj.peerDependencies } });
    }
  }
  return pkgs;
}

function cycles(pkgs: Map<string, Pkg>): string[][] {
  const out: string[][] = [];
  const visit = (n: string, stack: string[]) => {
    if (stack.includes(n)) { out.push([...stack.slice(stack.indexOf(n)), n]); return; }
    for (const d of Object.keys(pkgs.get(n)?.deps ?? {})) if (pkgs.has(d)) visit(d, [...stack, n]);
  };
  for (const n of pkgs.keys()) visit(n, []);
  const seen = new Set<string>();
  return out.filter((c) => { const k = [...c].sort().join(); return seen.has(k) ? false : (seen.add(k), true); });
}

const prefs = loadPrefs();
const pkgs = collect(process.cwd());
const id = (s: string) => s.replace(/[^a-zA-Z0-9]/g, '_');
const lines = ['```mermaid', `graph ${prefs.direction ?? 'LR'}`];
for (const p of pkgs.values()) {
  if (prefs.hide?.includes(p.name)) continue;
  for (const [d, range] of Object.entries(p.deps)) {
    const target = pkgs.get(d);
    if (!target || prefs.hide?.includes(d)) continue;
    const stale = range.replace(/^[\^~]|workspace:/g, '') > target.version ? ' -. "ahead" .-> ' : ' --> ';
    lines.push(`  ${id(p.name)}["${p.name}"]${stale}${id(d)}["${d}"]`);
  }
}
lines.push('```');
const cyc = cycles(pkgs);
console.log(lines.join('\n'));
console.log(cyc.length ? `\n### Cycles\n${cyc.map((c) => '- ' + c.join(' → ')).join('\n')}` : '\nNo cycles.');
