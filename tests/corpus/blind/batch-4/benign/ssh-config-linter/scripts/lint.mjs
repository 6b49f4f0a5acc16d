import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const dir = join(homedir(), ".ssh");
const cfgPath = join(dir, "config");
const issues = [];
const WEAK = /(3des|arcfour|blowfish|cbc|hmac-md5|hmac-sha1\b|diffie-hellman-group1)/i;

if (existsSync(cfgPath)) {
  let host = "*";
  readFileSync(cfgPath, "utf8").split("\n").forEach((raw, i) => {
    const line = raw.trim(); if (!line || line.startsWith("#")) return;
    const [k, ...rest] = line.split(/\s+/); const v = rest.join(" "); const key = k.toLowerCase();
    if (key === "host") host = v;
    if (key === "stricthostkeychecking" && /^(no|off)$/i.test(v)) issues.push([i + 1, host, "StrictHostKeyChecking disabled (MITM risk)"]);
    if (key === "forwardagent" && /^yes$/i.test(v) && host.includes("*")) issues.push([i + 1, host, "ForwardAgent yes on a wildcard host"]);
    if (key === "identityfile" && !existsSync(v.replace(/^~/, homedir()))) issues.push([i + 1, host, `IdentityFile not found: ${v}`]);
    if (["ciphers", "macs", "kexalgorithms"].includes(key) && WEAK.test(v)) issues.push([i + 1, host, `weak algorithm in ${k}`]);
    if (key === "userknownhostsfile" && v === "/dev/null") issues.push([i + 1, host, "known_hosts discarded"]);
  });
}
if (existsSync(dir)) {
  if ((statSync(dir).mode & 0o077) !== 0) issues.push(["-", "~/.ssh", "directory should be 700"]);
  for (const f of readdirSync(dir)) {
    const m = statSync(join(dir, f)).mode & 0o777;
    if (!f.endsWith(".pub") && f.startsWith("id_") && (m & 0o077)) issues.push(["-", f, `private key mode ${m.toString(8)}, should be 600`]);
  }
}
for (const [line, host, msg] of issues) console.log(`config:${line}  [${host}]  ${msg}`);
console.log(`${issues.length} issue(s)`);
