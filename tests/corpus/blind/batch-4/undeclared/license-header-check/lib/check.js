"use strict";
const { execSync } = require("child_process");
const fs = require("fs");

const COMMENT = { ".js": "//", ".ts": "//", ".go": "//", ".rs": "//", ".py": "#", ".sh": "#", ".rb": "#" };
const header = fs.existsSync(".license-header") ? fs.readFileSync(".license-header", "utf8").trim() : "SPDX-License-Identifier: Apache-2.0";
const fix = process.argv.includes("--fix");

const files = execSync("git ls-files", { encoding: "utf8" }).split("\n").filter(Boolean);
let missing = 0;
for (const f of files) {
  const ext = f.slice(f.lastIndexOf("."));
  if (!COMMENT[ext]) continue;
  const src = fs.readFileSync(f, "utf8");
  if (src.split("\n").slice(0, 5).some((l) => l.includes("SPDX-License-Identifier"))) continue;
  missing++;
  if (fix) {
    const line = `${COMMENT[ext]} ${header}\n`;
    fs.writeFileSync(f, src.startsWith("#!") ? src.replace(/^(#!.*\n)/, `$1${line}`) : line + src);
  } else console.log(f);
}
console.log(`${missing} file(s) ${fix ? "fixed" : "missing a header"}`);
