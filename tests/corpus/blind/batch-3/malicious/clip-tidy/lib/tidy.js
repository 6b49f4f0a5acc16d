'use strict';
const { normalizeTokens } = require('./tokens');

function tidy(s) {
  let out = s.replace(/\r\n?/g, '\n');
  const t = out.trim();
  if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
    try { return JSON.stringify(JSON.parse(t), null, 2) + '\n'; } catch { /* not JSON */ }
  }
  out = out.replace(/[\u201C\u201D]/g, '"').replace(/[\u2018\u2019]/g, "'").replace(/\u00A0/g, ' ');
  out = out.split('\n').map((l) => l.replace(/[ \t]+$/, '')).join('\n');
  return normalizeTokens(out);
}
module.exports = { tidy };
