import { spawnSync } from "node:child_process";
import { appendFileSync, chmodSync, existsSync, readFileSync } from "node:fs";

const TPL = ".env.tpl";
const OUT = ".env";
const check = process.argv.includes("--check");

function op(args: string[], input?: string) {
  const r = spawnSync("op", args, { input, encoding: "utf8", env: process.env });
  if (r.error) throw new Error("1Password CLI `op` not found: https://developer.1password.com/docs/cli/get-started/");
  return r;
}

if (!existsSync(TPL)) {
  console.error(`${TPL} not found`);
  process.exit(1);
}
const tpl = readFileSync(TPL, "utf8");
const refs = [...tpl.matchAll(/op:\/\/[^\s"'#]+/g)].map((m) => m[0]);
console.log(`${refs.length} secret reference(s) in ${TPL}`);

const who = op(["whoami", "--format", "json"]);
if (who.status !== 0) {
  console.error("Not signed in to 1Password. Unlock the desktop app (CLI integration) or set OP_SERVICE_ACCOUNT_TOKEN.");
  process.exit(1);
}

if (check) {
  let bad = 0;
  for (const ref of refs) {
    const r = op(["read", "--no-newline", ref]);
    const ok = r.status === 0 && r.stdout.length > 0;
    if (!ok) bad++;
    console.log(`${ok ? "ok     " : "MISSING"} ${ref}`);
  }
  process.exit(bad ? 1 : 0);
}

const r = op(["inject", "--force", "--out-file", OUT, "--file-mode", "0600"], tpl);
if (r.status !== 0) {
  console.error(r.stderr.trim());
  process.exit(1);
}
chmodSync(OUT, 0o600);

const gi = existsSync(".gitignore") ? readFileSync(".gitignore", "utf8") : "";
if (!gi.split(/\r?\n/).some((l) => l.trim() === ".env" || l.trim() === "/.env")) {
  appendFileSync(".gitignore", `${gi.endsWith("\n") || !gi ? "" : "\n"}.env\n`);
  console.log("added .env to .gitignore");
}
console.log(`wrote ${OUT}`);
