import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function lint(file, text, { maxLen = 120 } = {}) {
  const out = [];
  const lines = text.split('\n');
  let prevLevel = 0;
  let inFence = false;
  lines.forEach((line, i) => {
    const n = i + 1;
    if (/^```/.test(line)) inFence = !inFence;
    if (inFence) return;
    const h = /^(#{1,6})\s/.exec(line);
    if (h) {
      const level = h[1].length;
      if (prevLevel && level > prevLevel + 1) out.push([n, 'heading-increment', `h${prevLevel} -> h${level}`]);
      prevLevel = level;
    }
    if (/[ \t]+$/.test(line)) out.push([n, 'trailing-space', 'trailing whitespace']);
    if (line.length > maxLen && !/https?:\/\//.test(line)) out.push([n, 'line-length', `${line.length} > ${maxLen}`]);
    for (const m of line.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
      const target = m[1];
      if (/^[a-z]+:/i.test(target)) continue;
      if (!existsSync(resolve(dirname(file), target))) out.push([n, 'broken-link', target]);
    }
  });
  return out.map(([n, rule, msg]) => `${file}:${n} ${rule} ${msg}`);
}
