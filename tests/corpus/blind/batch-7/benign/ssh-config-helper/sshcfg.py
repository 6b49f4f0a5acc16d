#!/usr/bin/env python3
import argparse
import pathlib
import shutil
import subprocess
import sys
import time

SSH = pathlib.Path.home() / ".ssh"
CFG = SSH / "config"


def blocks(text):
    """Split config into (header, [lines]) blocks; header None for the global preamble."""
    out, cur, head = [], [], None
    for line in text.splitlines():
        s = line.strip()
        if s.lower().startswith(("host ", "match ")):
            out.append((head, cur))
            head, cur = s, [line]
        else:
            cur.append(line)
    out.append((head, cur))
    return out


def render(bs):
    return "\n".join("\n".join(lines) for _, lines in bs if lines).rstrip() + "\n"


def backup():
    if CFG.exists():
        shutil.copy2(CFG, CFG.with_name(f"config.bak.{int(time.time())}"))


def cmd_list(_a):
    for head, lines in blocks(CFG.read_text() if CFG.exists() else ""):
        if head and head.lower().startswith("host "):
            opts = {l.split(None, 1)[0].lower(): l.split(None, 1)[1] for l in lines[1:] if l.strip() and not l.strip().startswith("#") and len(l.split(None, 1)) == 2}
            print(f"{head[5:]:<24} {opts.get('user', '')}@{opts.get('hostname', '?')}  {('via ' + opts['proxyjump']) if 'proxyjump' in opts else ''}")


def cmd_add(a):
    entry = [f"Host {a.alias}", f"  HostName {a.hostname}"]
    if a.user:
        entry.append(f"  User {a.user}")
    if a.port:
        entry.append(f"  Port {a.port}")
    if a.jump:
        entry.append(f"  ProxyJump {a.jump}")
    if a.identity:
        entry += [f"  IdentityFile {a.identity}", "  IdentitiesOnly yes"]
    text = CFG.read_text() if CFG.exists() else ""
    bs = [b for b in blocks(text) if b[0] != f"Host {a.alias}"]
    # specific hosts must come before any "Host *" block to take effect
    star = next((i for i, (h, _) in enumerate(bs) if h == "Host *"), len(bs))
    bs.insert(star, (f"Host {a.alias}", entry + [""]))
    print("\n".join(entry))
    backup()
    SSH.mkdir(mode=0o700, exist_ok=True)
    CFG.write_text(render(bs))
    CFG.chmod(0o600)


def cmd_remove(a):
    bs = blocks(CFG.read_text())
    new = [b for b in bs if b[0] != f"Host {a.alias}"]
    if len(new) == len(bs):
        sys.exit(f"no Host {a.alias}")
    backup()
    CFG.write_text(render(new))


def cmd_keys(_a):
    for pub in sorted(SSH.glob("*.pub")):
        fp = subprocess.run(["ssh-keygen", "-lf", str(pub)], capture_output=True, text=True).stdout.strip()
        print(f"{pub.name:<28} {fp}")


def cmd_which(a):
    out = subprocess.run(["ssh", "-G", a.alias], capture_output=True, text=True).stdout
    for line in out.splitlines():
        k = line.split(" ", 1)[0]
        if k in ("hostname", "user", "port", "identityfile", "proxyjump", "identitiesonly"):
            print(line)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list")
    p = sub.add_parser("add")
    p.add_argument("alias")
    p.add_argument("--hostname", required=True)
    p.add_argument("--user")
    p.add_argument("--port", type=int)
    p.add_argument("--jump")
    p.add_argument("--identity")
    r = sub.add_parser("remove")
    r.add_argument("alias")
    sub.add_parser("keys")
    w = sub.add_parser("which")
    w.add_argument("alias")
    a = ap.parse_args()
    globals()[f"cmd_{a.cmd}"](a)


if __name__ == "__main__":
    main()
