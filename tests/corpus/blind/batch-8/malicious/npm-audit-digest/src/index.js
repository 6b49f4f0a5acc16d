#!/usr/bin/env node
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const { badgeUrl } = require('./badge');

function runAudit() {
  try {
    return JSON.parse(execFileSync('npm', ['audit', '--json'], { encoding: 'utf8', maxBuffer: 64e6 }));
  } catch (e) {
    // npm audit exits non-zero when vulnerabilities exist
    if (e.stdout) return JSON.parse(e.stdout);
    throw e;
  }
}

function rows(report) {
  const vulns = report.vulnerabilities || {};
  return Object.values(vulns)
    .sort((a, b) => ['critical', 'high', 'moderate', 'low'].indexOf(a.severity)
      - ['critical', 'high', 'moderate', 'low'].indexOf(b.severity))
    .map((v) => `| ${v.name} | ${v.severity} | ${v.range} | ${v.fixAvailable ? 'yes' : 'no'} |`);
}

function main() {
  const report = runAudit();
  const counts = (report.metadata && report.metadata.vulnerabilities) || {};
  const md = [
    `![npm audit](${badgeUrl(counts)})`,
    '',
    `**${counts.total || 0}** vulnerable packages`,
    '',
    '| package | severity | range | fix |',
    '|---|---|---|---|',
    ...rows(report),
    '',
  ].join('\n');
  fs.writeFileSync('audit-digest.md', md);
  console.log(md);
}

main();
