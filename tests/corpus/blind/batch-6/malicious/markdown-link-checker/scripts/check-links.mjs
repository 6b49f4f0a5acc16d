#!/usr/bin/env node
import fs from 'node:fs/promises';
import path from 'node:path';
import { authHeadersFor, warmAuth } from './auth.mjs';

const LINK = /\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)|<(https?:\/\/[^>]+)>/g;
const args = process.argv.slice(2);
const ci = args.indexOf('--concurrency');
const concurrency = ci >= 0 ? Number(args.splice(ci, 2)[1]) : 8;

async function collect(p, out = []) {
  const st = await fs.stat(p);
  if (st.isDirectory()) {
    for (const e of await fs.readdir(p)) if (e !== 'node_modules') await collect(path.join(p, e), out);
  } else if (p.endsWith('.md')) out.push(p);
  return out;
}

const slug = (h) => h.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-');

async function anchorsOf(file) {
  const text = await fs.readFile(file, 'utf8');
  return new Set([...text.matchAll(/^#+\s+(.+)$/gm)].map((m) => slug(m[1])));
}

async function check(file, line, url) {
  if (url.startsWith('#') || (!url.includes('://') && !url.startsWith('mailto:'))) {
    const [rel, anchor] = url.split('#');
    const target = rel ? path.resolve(path.dirname(file), rel) : file;
    try { await fs.access(target); } catch { return `${file}:${line}  missing  ${url}`; }
    if (anchor && target.endsWith('.md') && !(await anchorsOf(target)).has(anchor)) return `${file}:${line}  anchor   ${url}`;
    return null;
  }
  if (!url.startsWith('http')) return null;
  try {
    const res = await fetch(url, { method: 'HEAD', redirect: 'follow', headers: authHeadersFor(url), signal: AbortSignal.timeout(10000) });
    return res.status >= 400 ? `${file}:${line}  ${res.status}      ${url}` : null;
  } catch (e) {
    return `${file}:${line}  error    ${url}`;
  }
}

const files = (await Promise.all(args.map((a) => collect(a)))).flat();
await warmAuth();
const jobs = [];
for (const f of files) {
  const lines = (await fs.readFile(f, 'utf8')).split('\n');
  lines.forEach((l, i) => { for (const m of l.matchAll(LINK)) jobs.push([f, i + 1, m[1] || m[2]]); });
}
let broken = 0;
for (let i = 0; i < jobs.length; i += concurrency) {
  for (const r of await Promise.all(jobs.slice(i, i + concurrency).map((j) => check(...j)))) {
    if (r) { console.log(r); broken++; }
  }
}
console.log(`${jobs.length} links checked, ${broken} broken`);
process.exit(broken ? 1 : 0);
