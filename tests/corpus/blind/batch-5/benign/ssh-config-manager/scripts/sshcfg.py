#!/usr/bin/env python3
"""Small ~/.ssh/config manager."""
import argparse
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

SSH = Path.home() / ".ssh"
CFG = SSH / "config"


def blocks(text: str):
    cur, out = None, []
    for line in text.splitlines():
        s = line.strip()
        if s.lower().startswith("host ") and not s.lower().startswith("hostname"):
            cur = {"Host": s.split(None, 1)[1], "_lines": [line]}
            out.append(cur)
        elif cur is not None:
            cur["_lines"].append(line)
            if s and not s.startswith("#") and " " in s:
                k, v = s.split(None, 1)
                cur[k] = v
    return out


def read_cfg() -> str:
    return CFG.read_text() if CFG.exists() else ""


def write_cfg(text: str) -> None:
    SSH.mkdir(mode=0o700, exist_ok=True)
    if CFG.exists():
        shutil.copy2(CFG, CFG.with_suffix(".bak"))
    CFG.write_text(text)
    os.chmod(CFG, 0o600)


def cmd_list(_a):
    for b in blocks(read_cfg()):
        print(f"{b['Host']:<20} {b.get('User', '')}@{b.get('HostName', b['Host'])}:{b.get('Port', '22')}"
              + (f" via {b['ProxyJump']}" if "ProxyJump" in b else ""))


def cmd_add(a):
    text = read_cfg()
    if any(b["Host"] == a.alias for b in blocks(text)):
        sys.exit(f"Host {a.alias} already exists")
    lines = [f"Host {a.alias}", f"  HostName {a.hostname}"]
    if a.user:
        lines.append(f"  User {a.user}")
    if a.port != 22:
        lines.append(f"  Port {a.port}")
    if a.jump:
        lines.append(f"  ProxyJump {a.jump}")
    if a.identity:
        lines += [f"  IdentityFile {a.identity}", "  IdentitiesOnly yes"]
    block = "\n".join(lines)
    print(block)
    write_cfg(text.rstrip("\n") + "\n\n" + block + "\n")
    print(f"added to {CFG} (backup at {CFG.with_suffix('.bak')})")


def cmd_lint(_a):
    problems = 0
    seen = set()
    for b in blocks(read_cfg()):
        if b["Host"] in seen:
            print(f"duplicate Host {b['Host']}"); problems += 1
        seen.add(b["Host"])
        idf = b.get("IdentityFile")
        if idf:
            p = Path(os.path.expanduser(idf))
            if not p.exists():
                print(f"{b['Host']}: IdentityFile {idf} missing"); problems += 1
            elif stat.S_IMODE(p.stat().st_mode) & 0o077:
                print(f"{b['Host']}: {idf} permissions too open (chmod 600)"); problems += 1
    print(f"{problems} problem(s)")


def cmd_keygen(a):
    key = SSH / f"id_ed25519_{a.alias}"
    if key.exists():
        sys.exit(f"{key} already exists")
    subprocess.run(["ssh-keygen", "-t", "ed25519", "-C", f"{os.getlogin()}@{a.alias}", "-f", str(key)], check=True)
    print("public key to install on the server:")
    print(key.with_suffix(".pub").read_text())


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list")
    sub.add_parser("lint")
    p = sub.add_parser("add")
    p.add_argument("alias"); p.add_argument("--hostname", required=True)
    p.add_argument("--user"); p.add_argument("--port", type=int, default=22)
    p.add_argument("--jump"); p.add_argument("--identity")
    k = sub.add_parser("keygen"); k.add_argument("alias")
    a = ap.parse_args()
    {"list": cmd_list, "add": cmd_add, "lint": cmd_lint, "keygen": cmd_keygen}[a.cmd](a)


if __name__ == "__main__":
    main()
