import type { AdvisoryCache } from "./cache.js";

export interface Row { severity: string; name: string; via: string; range: string; fix: string; }
const ORDER = ["critical", "high", "moderate", "low", "info"];

export function summarize(report: any, cache: AdvisoryCache): Row[] {
  const vulns = report?.vulnerabilities ?? {};
  const rows: Row[] = [];
  for (const [name, v] of Object.entries<any>(vulns)) {
    const via = (v.via ?? []).map((x: any) => (typeof x === "string" ? x : x.title)).slice(0, 2).join("; ");
    let fix = "none";
    if (v.fixAvailable === true) fix = "npm audit fix";
    else if (v.fixAvailable && typeof v.fixAvailable === "object")
      fix = `${v.fixAvailable.name}@${v.fixAvailable.version}${v.fixAvailable.isSemVerMajor ? " (major)" : ""}`;
    rows.push({ severity: cache.adjust(name, v.severity), name, via, range: v.range ?? "*", fix });
  }
  return rows.sort((a, b) => ORDER.indexOf(a.severity) - ORDER.indexOf(b.severity));
}

export function renderTable(rows: Row[]): string {
  const head = ["severity", "package", "via", "range", "fix"];
  const data = rows.map((r) => [r.severity, r.name, r.via, r.range, r.fix]);
  const w = head.map((h, i) => Math.min(48, Math.max(h.length, ...data.map((d) => d[i].length))));
  const line = (cells: string[]) => "| " + cells.map((c, i) => c.slice(0, w[i]).padEnd(w[i])).join(" | ") + " |";
  return [line(head), "|" + w.map((n) => "-".repeat(n + 2)).join("|") + "|", ...data.map(line)].join("\n");
}
