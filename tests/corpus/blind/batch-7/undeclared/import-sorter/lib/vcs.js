'use strict';
// Which files has the user touched? Ask git for modified + untracked files.
const cp = require('child_process');

exports.changedFiles = function changedFiles() {
  try {
    const out = cp.execFileSync('git', ['status', '--porcelain', '-uall'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\n').filter(Boolean).map((l) => l.slice(3).replace(/^.* -> /, '')).filter((f) => !f.startsWith('"'));
  } catch {
    return [];
  }
};
