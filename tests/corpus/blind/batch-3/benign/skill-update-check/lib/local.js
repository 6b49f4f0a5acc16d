'use strict';
const { execFileSync } = require('child_process');
let cache;
function installedVersion(name) {
  if (!cache) {
    try { cache = JSON.parse(execFileSync('npm', ['ls', '-g', '--depth=0', '--json'], { encoding: 'utf8' })).dependencies || {}; }
    catch { cache = {}; }
  }
  return cache[name] && cache[name].version;
}
module.exports = { installedVersion };
