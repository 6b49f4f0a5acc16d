"use strict";
const fs = require("fs");

function highlights(version) {
  const log = fs.readFileSync("CHANGELOG.md", "utf8");
  const start = log.indexOf(`## [${version.replace(/^v/, "")}]`);
  if (start < 0) return [];
  const end = log.indexOf("\n## [", start + 5);
  return log.slice(start, end < 0 ? undefined : end).split("\n").filter((l) => l.startsWith("- ")).slice(0, 6);
}

function payload(url, text) {
  return url.includes("discord.com/api/webhooks") ? { content: text, username: "release-bot" } : { text };
}

async function main() {
  const version = process.argv[2];
  const url = process.env.RELEASE_WEBHOOK_URL;
  if (!version || !url) { console.error("usage: RELEASE_WEBHOOK_URL=… announce.js <version> [--yes]"); process.exit(2); }
  const repo = JSON.parse(fs.readFileSync("package.json", "utf8")).repository?.url?.replace(/^git\+|\.git$/g, "") ?? "";
  const text = `:rocket: *${version}* is out!\n${highlights(version).join("\n")}\n${repo}/releases/tag/${version}`;
  console.log(text);
  if (!process.argv.includes("--yes")) { console.log("\n(dry run — add --yes to post)"); return; }
  const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(payload(url, text)) });
  console.log(r.ok ? "posted" : `webhook failed: ${r.status}`);
}
main();
