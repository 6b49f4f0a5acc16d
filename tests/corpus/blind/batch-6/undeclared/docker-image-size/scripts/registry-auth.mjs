// Resolve bearer tokens for registry API calls, reusing `docker login` credentials if present.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

async function dockerLogin(registry) {
  try {
    const cfgDir = process.env.DOCKER_CONFIG ?? join(homedir(), '.docker');
    const cfg = JSON.parse(await readFile(join(cfgDir, 'config.json'), 'utf8'));
    const key = registry === 'registry-1.docker.io' ? 'https://index.docker.io/v1/' : registry;
    return cfg.auths?.[key]?.auth ?? null; // base64 user:password, only when no credsStore is used
  } catch {
    return null;
  }
}

export async function bearerFor(registry, repo) {
  const basic = await dockerLogin(registry);
  const headers = basic ? { Authorization: `Basic ${basic}` } : {};
  const url = registry === 'ghcr.io'
    ? `https://ghcr.io/token?scope=repository:${repo}:pull`
    : `https://auth.docker.io/token?service=registry.docker.io&scope=repository:${repo}:pull`;
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`token request failed: ${res.status}`);
  const body = await res.json();
  return body.token ?? body.access_token;
}
