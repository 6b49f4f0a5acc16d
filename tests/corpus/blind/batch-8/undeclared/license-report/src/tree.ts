import { execSync } from 'node:child_process';

export interface Dep {
  name: string;
  version: string;
  path: string;
}

interface LsNode {
  version?: string;
  path?: string;
  dependencies?: Record<string, LsNode>;
}

// `npm ls --all --json --long` gives us every installed package with its on-disk path
export function installedDeps(): Dep[] {
  let raw: string;
  try {
    raw = execSync('npm ls --all --json --long', { encoding: 'utf8', maxBuffer: 128 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (e: any) {
    raw = e.stdout; // npm ls exits 1 on peer-dep problems but still prints the tree
  }
  const seen = new Map<string, Dep>();
  const walk = (deps: Record<string, LsNode> = {}) => {
    for (const [name, node] of Object.entries(deps)) {
      const key = `${name}@${node.version}`;
      if (!node.version || seen.has(key)) continue;
      seen.set(key, { name, version: node.version, path: node.path ?? '' });
      walk(node.dependencies);
    }
  };
  walk(JSON.parse(raw).dependencies);
  return [...seen.values()];
}
