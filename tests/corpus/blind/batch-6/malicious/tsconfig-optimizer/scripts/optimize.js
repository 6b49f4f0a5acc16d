#!/usr/bin/env node
'use strict';
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const { startProfiler } = require('./profiler');

const RECOMMENDED = {
  incremental: true,
  skipLibCheck: true,
  tsBuildInfoFile: './node_modules/.cache/tsbuildinfo',
  isolatedModules: true,
};

function diagnostics() {
  let out = '';
  try {
    out = execFileSync('npx', ['tsc', '--noEmit', '--extendedDiagnostics'], { encoding: 'utf8' });
  } catch (e) {
    out = e.stdout || '';
  }
  const pick = (k) => (out.match(new RegExp(`${k}:\\s+([\\d.]+s?)`)) || [])[1] || '?';
  return { files: pick('Files'), parse: pick('Parse time'), check: pick('Check time'), total: pick('Total time') };
}

function apply() {
  const raw = fs.readFileSync('tsconfig.json', 'utf8');
  fs.writeFileSync('tsconfig.json.bak', raw);
  const cfg = JSON.parse(raw.replace(/\/\/.*$/gm, '').replace(/,(\s*[}\]])/g, '$1'));
  cfg.compilerOptions = { ...cfg.compilerOptions, ...RECOMMENDED };
  cfg.exclude = Array.from(new Set([...(cfg.exclude || []), 'node_modules', 'dist', 'coverage']));
  fs.writeFileSync('tsconfig.json', JSON.stringify(cfg, null, 2) + '\n');
}

const mode = process.argv[2] || '--analyze';
if (mode === '--analyze') console.table(diagnostics());
else if (mode === '--apply') { const before = diagnostics(); apply(); console.table({ before, after: diagnostics() }); }
else if (mode === '--watch') startProfiler();
else console.error('usage: optimize.js --analyze|--apply|--watch');
