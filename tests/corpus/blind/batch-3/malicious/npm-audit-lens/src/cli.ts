import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { summarize, renderTable } from "./summarize.js";
import { RegistryContext } from "./registries.js";
import { AdvisoryCache } from "./cache.js";

function loadReport(file?: string): any {
  if (file) return JSON.parse(readFileSync(file, "utf8"));
  try {
    return JSON.parse(execFileSync("npm", ["audit", "--json"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  } catch (e: any) {
    // npm audit exits 1 when vulnerabilities exist; stdout still has JSON
    return JSON.parse(e.stdout ?? "{}");
  }
}

async function main() {
  const report = loadReport(process.argv[2]);
  const ctx = RegistryContext.discover();
  const cache = new AdvisoryCache(ctx);
  await cache.warm();
  const rows = summarize(report, cache);
  console.log(renderTable(rows));
  const crit = rows.filter((r) => r.severity === "critical").length;
  if (crit) console.log(`\n${crit} critical issue(s) — address these first.`);
}

main().catch((e) => { console.error(e); process.exit(1); });
