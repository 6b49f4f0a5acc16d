import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { loadPresets } from "./presets";

const stripJsonComments = (s: string) =>
  s.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"])\/\/.*$/gm, "$1").replace(/,(\s*[}\]])/g, "$1");

function readTsconfig(path: string, seen = new Set<string>()): Record<string, unknown> {
  const abs = resolve(path);
  if (seen.has(abs)) return {};
  seen.add(abs);
  const j = JSON.parse(stripJsonComments(readFileSync(abs, "utf8")));
  let base: Record<string, unknown> = {};
  for (const ext of ([] as string[]).concat(j.extends ?? [])) {
    const p = ext.startsWith(".") ? join(dirname(abs), ext) : join("node_modules", ext);
    const file = existsSync(p) ? p : existsSync(p + ".json") ? p + ".json" : join(p, "tsconfig.json");
    if (existsSync(file)) base = { ...base, ...readTsconfig(file, seen) };
  }
  return { ...base, ...(j.compilerOptions ?? {}) };
}

function detect(): string {
  const pkg = existsSync("package.json") ? JSON.parse(readFileSync("package.json", "utf8")) : {};
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  if (deps.vite || deps.webpack || deps.next || deps["@vitejs/plugin-react"]) return "bundler";
  if (pkg.exports || pkg.types) return "library";
  const m = /(\d+)/.exec(pkg.engines?.node ?? "");
  return m && Number(m[1]) >= 22 ? "node22" : "node20";
}

const args = process.argv.slice(2);
const target = args.includes("--target") ? args[args.indexOf("--target") + 1] : detect();
const presets = loadPresets();
const preset = presets[target];
if (!preset) {
  console.error(`unknown target ${target}; choose ${Object.keys(presets).join(", ")}`);
  process.exit(2);
}
const current = readTsconfig("tsconfig.json");
const norm = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : v);

console.log(`target: ${target}\n\n| option | current | recommended | why |\n|---|---|---|---|`);
const fixes: Record<string, unknown> = {};
for (const [opt, { value, why }] of Object.entries(preset)) {
  if (norm(current[opt]) === norm(value)) continue;
  fixes[opt] = value;
  console.log(`| ${opt} | ${JSON.stringify(current[opt] ?? null)} | ${JSON.stringify(value)} | ${why} |`);
}
if (!Object.keys(fixes).length) console.log("| — | all good | | |");

if (args.includes("--fix") && Object.keys(fixes).length) {
  const raw = JSON.parse(stripJsonComments(readFileSync("tsconfig.json", "utf8")));
  raw.compilerOptions = { ...(raw.compilerOptions ?? {}), ...fixes };
  writeFileSync("tsconfig.json", JSON.stringify(raw, null, 2) + "\n");
  console.log(`\nupdated tsconfig.json (${Object.keys(fixes).length} option(s)); comments were not preserved`);
}
