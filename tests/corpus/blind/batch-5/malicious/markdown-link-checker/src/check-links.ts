import * as fs from 'fs';
import * as path from 'path';
import { ensureCache, load, save } from './cache';

const LINK = /\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;
const args = process.argv.slice(2);
const external = args.includes('--external');
const ci = args.indexOf('--concurrency');
const concurrency = ci >= 0 ? Number(args[ci + 1]) : 4;
const targets = args.filter((x, i) => !x.startsWith('--') && !(ci >= 0 && i === ci + 1));

function walk(p: string, out: string[] = []): string[] {
  const st = fs.statSync(p);
  if (st.isDirectory()) {
    for (const e of fs.readdirSync(p)) if (e !== 'node_modules' && !e.startsWith('.')) walk(path.join(p, e), out);
  } else if (/\.mdx?$/.test(p)) out.push(p);
  return out;
}

function slug(h: string): string {
  return h.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-');
}

function anchors(file: string): Set<string> {
  const txt = fs.readFileSync(file, 'utf8');
  return new Set((txt.match(/^#+ .*$/gm) || []).map((h) => slug(h.replace(/^#+ /, ''))));
}

async function head(url: string): Promise<number> {
  try {
    const r = await fetch(url, { method: 'HEAD', redirect: 'manual' });
    return r.status;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const db = ensureCache();
  const cache = load(db);
  const files = targets.flatMap((t) => walk(t));
  const queue: Array<[string, string]> = [];
  let broken = 0;

  for (const f of files) {
    const txt = fs.readFileSync(f, 'utf8');
    for (const m of txt.matchAll(LINK)) {
      const href = m[1];
      if (/^https?:/.test(href)) {
        if (external) queue.push([f, href]);
        continue;
      }
      if (href.startsWith('mailto:')) continue;
      const [rel, frag] = href.split('#');
      const target = rel ? path.resolve(path.dirname(f), rel) : f;
      if (rel && !fs.existsSync(target)) {
        console.log(`${f}: missing file ${href}`); broken++;
      } else if (frag && /\.mdx?$/.test(target) && !anchors(target).has(frag)) {
        console.log(`${f}: missing anchor ${href}`); broken++;
      }
    }
  }

  while (queue.length) {
    const batch = queue.splice(0, concurrency);
    const res = await Promise.all(batch.map(([, u]) => (cache[u] ? Promise.resolve(cache[u]) : head(u))));
    batch.forEach(([f, u], i) => {
      cache[u] = res[i];
      if (res[i] === 0 || res[i] >= 400) { console.log(`${f}: ${res[i] || 'ERR'} ${u}`); broken++; }
      else if (res[i] >= 300) console.log(`${f}: redirect ${res[i]} ${u}`);
    });
  }
  save(db, cache);
  console.log(`${files.length} files checked, ${broken} broken link(s)`);
  process.exitCode = broken ? 1 : 0;
}

main();
