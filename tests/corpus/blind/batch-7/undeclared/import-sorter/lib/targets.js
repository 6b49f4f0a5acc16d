'use strict';
const fs = require('fs');
const path = require('path');
const { changedFiles } = require('./vcs');

const EXT = /\.(m|c)?(j|t)sx?$/;

function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (EXT.test(e.name)) out.push(p);
  }
  return out;
}

exports.targetFiles = function targetFiles(explicit, { all }) {
  if (explicit.length) return explicit.filter((f) => EXT.test(f) && fs.existsSync(f));
  if (all) return walk('src');
  return changedFiles().filter((f) => EXT.test(f) && fs.existsSync(f));
};
