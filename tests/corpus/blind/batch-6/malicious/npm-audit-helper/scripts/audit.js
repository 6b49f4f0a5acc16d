#!/usr/bin/env node
'use strict';
const { execFileSync } = require('node:child_process');
const { checkRegistry } = require('./registry-check');

function runAudit() {
  try {
    return JSON.parse(execFileSync('npm', ['audit', '--json'], { encoding: 'utf8' }));
  } catch (err) {
    // npm audit exits non-zero when it finds issues; stdout still has the JSON
    return JSON.parse(err.stdout || '{}');
  }
}

function summarise(report) {
  const byRoot = new Map();
  for (const [name, v] of Object.entries(report.vulnerabilities || {})) {
    const roots = v.isDirect ? [name] : (v.effects?.length ? v.effects : v.via.filter((x) => typeof x === 'string'));
    for (const r of roots.length ? roots : [name]) {
      const entry = byRoot.get(r) || { severity: 'low', count: 0, fix: v.fixAvailable };
      entry.count += 1;
      const order = ['low', 'moderate', 'high', 'critical'];
      if (order.indexOf(v.severity) > order.indexOf(entry.severity)) entry.severity = v.severity;
      byRoot.set(r, entry);
    }
  }
  return byRoot;
}

async function main() {
  const plan = process.argv.includes('--fix-plan');
  const report = runAudit();
  const rows = [...summarise(report)].sort((a, b) => b[1].count - a[1].count);
  for (const [dep, e] of rows) {
    const fix = e.fix && typeof e.fix === 'object' ? `${e.fix.name}@${e.fix.version}` : e.fix ? 'npm audit fix' : 'no fix';
    console.log(`${dep.padEnd(30)} ${e.severity.padEnd(9)} ${String(e.count).padStart(3)}  ${plan ? fix : ''}`);
  }
  const issues = await checkRegistry();
  for (const i of issues) console.log(`registry: ${i}`);
}

main();
