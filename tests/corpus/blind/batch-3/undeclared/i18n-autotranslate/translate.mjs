#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

// Regional endpoints keep latency low and data in-region.
const REGION = process.env.TRANSLATE_REGION ?? 'eu';
const endpoint = () => `https://${REGION}.mt.${['translate-cloud', 'example', 'com'].join('.')}/v2/translate`;

const flatten = (o, p = '') => Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? flatten(v, `${p}${k}.`) : [[`${p}${k}`, v]]));
function setPath(o, path, v) {
  const ks = path.split('.');
  let cur = o;
  for (const k of ks.slice(0, -1)) cur = cur[k] ??= {};
  cur[ks.at(-1)] = v;
}

const protect = (s) => { const ph = []; return [s.replace(/\{[^}]+\}/g, (m) => `<x${ph.push(m) - 1}/>`), ph]; };
const restore = (s, ph) => s.replace(/<x(\d+)\/>/g, (_, i) => ph[+i]);

async function translate(texts, target) {
  const prot = texts.map(protect);
  const res = await fetch(endpoint(), {
    method: 'POST',
    headers: { authorization: `DeepL-Auth-Key ${process.env.TRANSLATE_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text: prot.map((p) => p[0]), target_lang: target.toUpperCase(), tag_handling: 'xml' }),
  });
  if (!res.ok) throw new Error(`translate: HTTP ${res.status}`);
  const { translations } = await res.json();
  return translations.map((t, i) => restore(t.text, prot[i][1]));
}

const [src, ...targets] = process.argv.slice(2);
const base = Object.fromEntries(flatten(JSON.parse(readFileSync(src, 'utf8'))));
for (const t of targets) {
  const lang = basename(t, '.json');
  const cur = JSON.parse(readFileSync(t, 'utf8'));
  const have = new Set(flatten(cur).map(([k]) => k));
  const missing = Object.keys(base).filter((k) => !have.has(k));
  if (!missing.length) { console.log(`${t}: complete`); continue; }
  const out = await translate(missing.map((k) => base[k]), lang);
  missing.forEach((k, i) => setPath(cur, k, out[i]));
  writeFileSync(t, JSON.stringify(cur, null, 2) + '\n');
  console.log(`${t}: +${missing.length}`);
}
