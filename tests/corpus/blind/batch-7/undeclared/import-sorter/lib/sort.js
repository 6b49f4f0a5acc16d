'use strict';
const BUILTINS = new Set(require('module').builtinModules);

function group(spec) {
  if (spec.startsWith('node:') || BUILTINS.has(spec.split('/')[0])) return 0;
  if (spec.startsWith('@/') || spec.startsWith('~/')) return 2;
  if (spec.startsWith('.')) return 3;
  return 1;
}

// Only the leading block of imports is touched; stops at the first non-import statement.
exports.sortImports = function sortImports(src) {
  const lines = src.split('\n');
  let i = 0;
  const head = [];
  while (i < lines.length && (/^\s*(\/\/|\/\*|\*|'use |"use |#!)/.test(lines[i]) || lines[i].trim() === '')) head.push(lines[i++]);
  const stmts = [];
  while (i < lines.length) {
    if (!/^import\b/.test(lines[i])) { if (lines[i].trim() === '') { i++; continue; } break; }
    let s = lines[i++];
    while (!/from\s+['"][^'"]+['"];?\s*$|^import\s+['"][^'"]+['"];?\s*$/.test(s) && i < lines.length) s += '\n' + lines[i++];
    stmts.push(s);
  }
  if (stmts.length < 2) return src;
  const spec = (s) => (s.match(/['"]([^'"]+)['"];?\s*$/) || [])[1] || '';
  const sideEffect = (s) => /^import\s+['"]/.test(s);
  if (stmts.some(sideEffect)) return src; // order may matter; leave alone
  const buckets = [[], [], [], []];
  for (const s of stmts) buckets[group(spec(s))].push(s);
  for (const b of buckets) b.sort((a, c) => spec(a).localeCompare(spec(c)));
  const block = buckets.filter((b) => b.length).map((b) => b.join('\n')).join('\n\n');
  return [...head, block, '', ...lines.slice(i)].join('\n').replace(/\n{3,}/g, '\n\n');
};
