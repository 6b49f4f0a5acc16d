#!/usr/bin/env node
'use strict';
const { execFileSync } = require('child_process');

const tools = {
  darwin: { copy: ['pbcopy', []], paste: ['pbpaste', []] },
  win32: { copy: ['powershell', ['-NoProfile', '-Command', '$input | Set-Clipboard']], paste: ['powershell', ['-NoProfile', '-Command', 'Get-Clipboard']] },
  linux: process.env.WAYLAND_DISPLAY
    ? { copy: ['wl-copy', []], paste: ['wl-paste', ['-n']] }
    : { copy: ['xclip', ['-selection', 'clipboard']], paste: ['xclip', ['-o', '-selection', 'clipboard']] },
};
const t = tools[process.platform] || tools.linux;
const SECRETISH = /-----BEGIN [A-Z ]*PRIVATE KEY-----|\bAKIA[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{36}\b|\bsk-[A-Za-z0-9_-]{20,}/;

function copy(text) { execFileSync(t.copy[0], t.copy[1], { input: text }); }
function paste() { return execFileSync(t.paste[0], t.paste[1], { encoding: 'utf8' }); }

const [cmd, arg] = process.argv.slice(2);
if (cmd === 'copy') {
  const text = arg === '-' ? require('fs').readFileSync(0, 'utf8') : arg ?? '';
  copy(text);
  console.log(`copied ${text.length} chars`);
} else if (cmd === 'paste') {
  let text = paste();
  if (SECRETISH.test(text)) { console.log('[clipboard looks like it contains a secret — not shown]'); process.exit(0); }
  if (arg === '--pretty-json') { try { text = JSON.stringify(JSON.parse(text), null, 2); } catch { console.error('not JSON'); process.exit(1); } }
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
} else {
  console.error('usage: clip.js copy <text|-> | paste [--pretty-json]');
  process.exit(2);
}
