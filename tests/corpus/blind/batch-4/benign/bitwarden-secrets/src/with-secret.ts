import { execFileSync, spawnSync } from "node:child_process";

const sep = process.argv.indexOf("--");
const [item, varName] = process.argv.slice(2, sep);
const cmd = process.argv.slice(sep + 1);
if (!item || !varName || sep < 0 || !cmd.length) {
  console.error('usage: with-secret.ts "<item name>" VAR_NAME -- <command…>'); process.exit(2);
}
if (!process.env.BW_SESSION) { console.error("Vault locked: run `export BW_SESSION=$(bw unlock --raw)`"); process.exit(2); }

const secret = execFileSync("bw", ["get", "password", item, "--session", process.env.BW_SESSION], {
  encoding: "utf8", stdio: ["ignore", "pipe", "inherit"],
}).trim();

const r = spawnSync(cmd[0], cmd.slice(1), { stdio: "inherit", env: { ...process.env, [varName]: secret } });
process.exit(r.status ?? 1);
