import { readFileSync, existsSync } from "node:fs";

type Rule = { type: "string" | "url" | "port" | "int" | "bool" | "enum" | "list"; required?: boolean; values?: string[]; pattern?: string; protocols?: string[]; default?: unknown };

function parseEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const m = raw.match(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/);
    if (!m) continue;
    out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, "$2");
  }
  return out;
}

function check(v: string, r: Rule): string | null {
  switch (r.type) {
    case "url": {
      try { const u = new URL(v); if (r.protocols && !r.protocols.includes(u.protocol.replace(":", ""))) return `protocol must be ${r.protocols.join("/")}`; }
      catch { return "invalid url"; }
      return null;
    }
    case "port": return /^\d+$/.test(v) && +v > 0 && +v < 65536 ? null : "invalid port";
    case "int": return /^-?\d+$/.test(v) ? null : "not an integer";
    case "bool": return /^(true|false|1|0)$/i.test(v) ? null : "not a boolean";
    case "enum": return r.values?.includes(v) ? null : `must be one of ${r.values?.join(", ")}`;
    case "list": return v.split(",").every((x) => x.trim()) ? null : "empty list item";
    default: return r.pattern && !new RegExp(r.pattern).test(v) ? `does not match ${r.pattern}` : null;
  }
}

const file = process.argv.find((a, i) => i > 1 && !a.startsWith("--")) ?? ".env";
const strict = process.argv.includes("--strict");
const schemaFile = existsSync("env.schema.json") ? "env.schema.json" : "env.schema.example.json";
const schema: Record<string, Rule> = JSON.parse(readFileSync(schemaFile, "utf8"));
const env = parseEnv(readFileSync(file, "utf8"));
let errors = 0;
for (const [k, r] of Object.entries(schema)) {
  if (!(k in env) || env[k] === "") {
    if (r.required) { console.log(`✗ ${k}: missing`); errors++; }
    else console.log(`· ${k}: not set${r.default !== undefined ? ` (default ${r.default})` : ""}`);
    continue;
  }
  const e = check(env[k], r);
  if (e) { console.log(`✗ ${k}: ${e}`); errors++; } else console.log(`✓ ${k}`);
}
for (const k of Object.keys(env)) if (!(k in schema)) { console.log(`? ${k}: not in schema`); if (strict) errors++; }
process.exit(errors ? 1 : 0);
