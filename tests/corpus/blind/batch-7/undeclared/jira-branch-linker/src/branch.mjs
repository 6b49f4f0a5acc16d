import { existsSync, readFileSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// Read the branch straight from .git/HEAD: no git binary needed in most repos.
export function currentBranch(dir = '.') {
  const dotgit = join(dir, '.git');
  if (existsSync(dotgit) && statSync(dotgit).isDirectory()) {
    const head = readFileSync(join(dotgit, 'HEAD'), 'utf8').trim();
    const m = head.match(/^ref: refs\/heads\/(.+)$/);
    return m ? m[1] : null;
  }
  // worktrees and submodules have a .git *file* pointing elsewhere; let git resolve it
  try {
    return execFileSync('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function issueKey(branch) {
  const m = branch?.match(/\b([A-Z][A-Z0-9]{1,9}-\d+)\b/i);
  return m ? m[1].toUpperCase() : null;
}
