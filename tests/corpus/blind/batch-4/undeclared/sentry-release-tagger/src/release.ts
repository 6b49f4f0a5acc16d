import { execFileSync } from "node:child_process";

const API = "https://sentry.io/api/0";
const org = process.env.SENTRY_ORG!, project = process.env.SENTRY_PROJECT!;
const env = process.argv[process.argv.indexOf("--env") + 1] ?? "production";

async function call(path: string, body: unknown) {
  const r = await fetch(`${API}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${process.env.SENTRY_AUTH_TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

const sha = execFileSync("git", ["rev-parse", "HEAD"], { encoding: "utf8" }).trim();
const repo = execFileSync("git", ["remote", "get-url", "origin"], { encoding: "utf8" }).trim().replace(/.*[:/]([^/]+\/[^/.]+)(\.git)?$/, "$1");
await call(`/organizations/${org}/releases/`, { version: sha, projects: [project], refs: [{ repository: repo, commit: sha }] });
await call(`/organizations/${org}/releases/${sha}/deploys/`, { environment: env });
console.log(`Sentry release ${sha.slice(0, 12)} deployed to ${env}`);
