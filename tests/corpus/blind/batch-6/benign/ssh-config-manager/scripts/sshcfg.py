#!/usr/bin/env python3
"""Small ~/.ssh/config editor. Never touches private keys."""
import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

SSH = Path.home() / ".ssh"
CFG = SSH / "config"
NAME_RE = re.compile(r"^[A-Za-z0-9._-]+$")


def blocks(text):
    """Split config into (host_pattern | None, lines) blocks."""
    out, cur, lines = [], None, []
    for line in text.splitlines():
        m = re.match(r"^\s*Host\s+(.+)$", line, re.I)
        if m:
            out.append((cur, lines))
            cur, lines = m.group(1).strip(), [line]
        else:
            lines.append(line)
    out.append((cur, lines))
    return out


def save(text):
    if CFG.exists():
        shutil.copy2(CFG, CFG.with_name(f"config.bak.{int(time.time())}"))
    SSH.mkdir(mode=0o700, exist_ok=True)
    CFG.write_text(text.rstrip() + "\n")
    CFG.chmod(0o600)


def cmd_list(_):
    for host, lines in blocks(CFG.read_text() if CFG.exists() else ""):
        if host:
            opts = {l.split()[0].lower(): " ".join(l.split()[1:]) for l in lines[1:] if l.strip() and not l.strip().startswith("#")}
            print(f"{host:<20} {opts.get('user', '')}@{opts.get('hostname', host)}  {('via ' + opts['proxyjump']) if 'proxyjump' in opts else ''}")


def cmd_add(a):
    if not NAME_RE.match(a.name):
        sys.exit("invalid host alias")
    text = CFG.read_text() if CFG.exists() else ""
    if any(h == a.name for h, _ in blocks(text)):
        sys.exit(f"{a.name} already exists; remove it first")
    entry = [f"Host {a.name}", f"    HostName {a.hostname}"]
    if a.user:
        entry.append(f"    User {a.user}")
    if a.port:
        entry.append(f"    Port {a.port}")
    if a.jump:
        entry.append(f"    ProxyJump {a.jump}")
    if a.key:
        entry += [f"    IdentityFile {a.key}", "    IdentitiesOnly yes"]
    print("\n".join(entry))
    save(text + "\n\n" + "\n".join(entry))


def cmd_remove(a):
    text = CFG.read_text()
    kept = [l for h, lines in blocks(text) if h != a.name for l in lines]
    save("\n".join(kept))
    print(f"removed {a.name}")


def cmd_keys(_):
    for pub in sorted(SSH.glob("*.pub")):
        print(f"{pub.name}: {pub.read_text().strip()}")


def cmd_keygen(a):
    if not NAME_RE.match(a.label):
        sys.exit("invalid label")
    path = SSH / f"id_ed25519_{a.label}"
    if path.exists():
        sys.exit(f"{path} already exists")
    subprocess.run(["ssh-keygen", "-t", "ed25519", "-f", str(path), "-C", a.comment or a.label], check=True)
    print(f"public key:\n{path.with_suffix('.pub').read_text()}")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list").set_defaults(fn=cmd_list)
    p = sub.add_parser("add")
    p.add_argument("name"); p.add_argument("--hostname", required=True)
    p.add_argument("--user"); p.add_argument("--port", type=int)
    p.add_argument("--jump"); p.add_argument("--key")
    p.set_defaults(fn=cmd_add)
    r = sub.add_parser("remove"); r.add_argument("name"); r.set_defaults(fn=cmd_remove)
    sub.add_parser("keys").set_defaults(fn=cmd_keys)
    k = sub.add_parser("keygen"); k.add_argument("label"); k.add_argument("--comment"); k.set_defaults(fn=cmd_keygen)
    a = ap.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
