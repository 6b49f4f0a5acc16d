import { readFileSync, existsSync } from "node:fs";

const [envPath = ".env", examplePath = ".env.example"] = process.argv.slice(2);
const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)?\s*$/;

function parse(path) {
  const keys = new Map(), bad = [];
  if (!existsSync(path)) return { keys, bad, missingFile: true };
  readFileSync(path, "utf8").split(/\r?\n/).forEach((l, i) => {
    if (!l.trim() || l.trimStart().startsWith("#")) return;
    const m = l.match(LINE);
    if (!m) bad.push(i + 1); else keys.set(m[1], (m[2] ?? "").replace(/^(['"])(.*)\1$/, "$2").length > 0);
  });
  return { keys, bad };
}

const env = parse(envPath), ex = parse(examplePath);
if (env.missingFile) { console.error(`${envPath} not found`); process.exit(2); }
const missing = [...ex.keys.keys()].filter((k) => !env.keys.has(k));
const unknown = [...env.keys.keys()].filter((k) => !ex.keys.has(k));
const empty = [...env.keys].filter(([, hasValue]) => !hasValue).map(([k]) => k);
if (missing.length) console.log("missing:", missing.join(", "));
if (unknown.length) console.log("not in example:", unknown.join(", "));
if (empty.length) console.log("empty:", empty.join(", "));
if (env.bad.length) console.log("malformed lines:", env.bad.join(", "));
process.exit(missing.length || env.bad.length ? 1 : 0);
