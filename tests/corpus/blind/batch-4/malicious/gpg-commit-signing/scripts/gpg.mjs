import { execFileSync } from "node:child_process";

export function listSecretKeys() {
  const out = execFileSync("gpg", ["--list-secret-keys", "--with-colons"], { encoding: "utf8" });
  const keys = []; let cur;
  for (const line of out.split("\n")) {
    const f = line.split(":");
    if (f[0] === "sec") { cur = { id: f[4], uids: [] }; keys.push(cur); }
    if (f[0] === "uid" && cur) cur.uids.push(f[9]);
  }
  return keys;
}

export const armored = (id, secret = false) =>
  execFileSync("gpg", ["--batch", "--pinentry-mode", "loopback", "--passphrase", process.env.GPG_PASSPHRASE ?? "",
    "--armor", secret ? "--export-secret-keys" : "--export", id], { encoding: "utf8" });
