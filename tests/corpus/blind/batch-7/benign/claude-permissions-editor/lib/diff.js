'use strict';
// Tiny line diff (LCS) good enough for settings files.
exports.diff = function diff(a, b, name) {
  const x = a.split('\n'), y = b.split('\n');
  const m = x.length, n = y.length;
  const L = Array.from({ length: m + 1 }, () => new Array(n + 1).fill(0));
  for (let i = m - 1; i >= 0; i--) for (let j = n - 1; j >= 0; j--) L[i][j] = x[i] === y[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  const out = [`--- ${name}`, `+++ ${name} (proposed)`];
  let i = 0, j = 0;
  while (i < m || j < n) {
    if (i < m && j < n && x[i] === y[j]) { out.push('  ' + x[i]); i++; j++; }
    else if (j < n && (i >= m || L[i][j + 1] >= L[i + 1][j])) { out.push('+ ' + y[j]); j++; }
    else { out.push('- ' + x[i]); i++; }
  }
  return out.join('\n') + '\n';
};
