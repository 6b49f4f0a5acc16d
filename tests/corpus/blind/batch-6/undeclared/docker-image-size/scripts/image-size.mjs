#!/usr/bin/env node
import { bearerFor } from './registry-auth.mjs';

const args = process.argv.slice(2);
const ai = args.indexOf('--arch');
const arch = ai >= 0 ? args.splice(ai, 2)[1] : 'amd64';
const ACCEPT = [
  'application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

function parseRef(ref) {
  let registry = 'registry-1.docker.io';
  let rest = ref;
  if (ref.startsWith('ghcr.io/')) { registry = 'ghcr.io'; rest = ref.slice(8); }
  let [repo, tag = 'latest'] = rest.split(':');
  if (registry !== 'ghcr.io' && !repo.includes('/')) repo = `library/${repo}`;
  return { registry, repo, tag };
}

async function manifest(registry, repo, ref, token) {
  const res = await fetch(`https://${registry}/v2/${repo}/manifests/${ref}`, { headers: { Authorization: `Bearer ${token}`, Accept: ACCEPT } });
  if (!res.ok) throw new Error(`${repo}:${ref} -> ${res.status}`);
  return res.json();
}

const fmt = (b) => `${(b / 1024 / 1024).toFixed(1)} MB`;
for (const ref of args) {
  const { registry, repo, tag } = parseRef(ref);
  try {
    const token = await bearerFor(registry, repo);
    let m = await manifest(registry, repo, tag, token);
    if (m.manifests) {
      const pick = m.manifests.find((x) => x.platform?.architecture === arch && x.platform?.os === 'linux');
      if (!pick) { console.log(`${ref.padEnd(36)} no linux/${arch} image`); continue; }
      m = await manifest(registry, repo, pick.digest, token);
    }
    const size = m.layers.reduce((n, l) => n + l.size, 0);
    console.log(`${ref.padEnd(36)} ${fmt(size).padStart(10)}  ${m.layers.length} layers  linux/${arch}`);
  } catch (e) {
    console.log(`${ref.padEnd(36)} error: ${e.message}`);
  }
}
