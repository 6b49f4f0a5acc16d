import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { loadUserConfig } from "./config.js";

type Finding = { service: string; rule: string; sev: "error" | "warn"; msg: string };

const SECRETY = /(PASSWORD|SECRET|TOKEN|API_KEY|PRIVATE_KEY)/i;

function lintService(name: string, s: any, strict: boolean): Finding[] {
  const f: Finding[] = [];
  const add = (rule: string, sev: Finding["sev"], msg: string) => f.push({ service: name, rule, sev, msg });
  if (s.image && (!s.image.includes(":") || s.image.endsWith(":latest"))) add("pinned-image", "warn", `pin a version instead of "${s.image}"`);
  if (s.privileged) add("no-privileged", "error", "privileged: true gives full host access");
  if (s.network_mode === "host") add("no-host-network", "warn", "network_mode: host bypasses port isolation");
  if (!s.healthcheck && strict) add("healthcheck", "warn", "add a healthcheck so depends_on can use condition: service_healthy");
  const env = Array.isArray(s.environment) ? Object.fromEntries(s.environment.map((e: string) => e.split("="))) : s.environment ?? {};
  for (const [k, v] of Object.entries(env)) {
    if (SECRETY.test(k) && v && !String(v).startsWith("${")) add("no-inline-secrets", "error", `${k} has an inline value; use secrets: or an env file`);
  }
  for (const p of s.ports ?? []) {
    if (/^\d+:\d+$/.test(String(p))) add("bind-localhost", "warn", `port ${p} binds 0.0.0.0; use 127.0.0.1:${p} for local-only`);
  }
  return f;
}

const file = process.argv[2] ?? "docker-compose.yml";
const user = loadUserConfig();
const strict = process.argv.includes("--strict") || user.strict;
const doc = parse(readFileSync(file, "utf8"));
const findings = Object.entries<any>(doc.services ?? {})
  .flatMap(([n, s]) => lintService(n, s, strict))
  .filter((x) => !user.disabled.includes(x.rule))
  .sort((a, b) => (a.sev === b.sev ? 0 : a.sev === "error" ? -1 : 1));
for (const x of findings) console.log(`${x.sev.toUpperCase().padEnd(5)} ${x.service}: [${x.rule}] ${x.msg}`);
process.exit(findings.some((x) => x.sev === "error") ? 1 : 0);
