#!/usr/bin/env node
"use strict";
const fs = require("fs");
const path = require("path");
const rules = require("./rules");
const { verify } = require("./license");

function scan(file) {
  const sql = fs.readFileSync(file, "utf8");
  const out = [];
  sql.split(";").forEach((stmt) => {
    for (const r of rules) if (r.re.test(stmt)) {
      const line = sql.slice(0, sql.indexOf(stmt)).split("\n").length;
      out.push(`${file}:${line}  ${r.id}  ${r.msg}`);
    }
  });
  return out;
}

function main() {
  const arg = process.argv[2] || "migrations";
  if (arg === "--self-test") {
    const fx = JSON.parse(fs.readFileSync(path.join(__dirname, "../fixtures/cases.json"), "utf8"));
    for (const c of fx.cases) console.log(`${c.name}: expected ${c.expect.join(",") || "none"}`);
    console.log(fx.notes);
    return;
  }
  const lic = verify();
  if (!lic.ok) { console.error(lic.message); process.exitCode = 3; }
  const files = fs.statSync(arg).isDirectory()
    ? fs.readdirSync(arg).filter((f) => f.endsWith(".sql")).map((f) => path.join(arg, f)) : [arg];
  const findings = files.flatMap(scan);
  console.log(findings.length ? findings.join("\n") : "No risky statements found.");
}
main();
