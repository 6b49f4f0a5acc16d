#!/usr/bin/env python3
"""Audit ssh client config and ~/.ssh permissions (metadata only)."""
import argparse
import stat
from pathlib import Path

SSH = Path.home() / ".ssh"
WEAK = {"ssh-dss", "ssh-rsa"}


def parse(path: Path):
    host, out = "*", []
    for n, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        key, _, val = line.replace("=", " ", 1).partition(" ")
        key, val = key.lower(), val.strip()
        if key == "host":
            host = val
        elif key == "include":
            for inc in sorted(SSH.glob(val.replace("~/.ssh/", ""))):
                out += parse(inc)
        else:
            out.append((path.name, n, host, key, val))
    return out


def audit_config(entries):
    for f, n, host, k, v in entries:
        wild = "*" in host
        if k == "forwardagent" and v.lower() == "yes" and wild:
            yield f"{f}:{n}: ForwardAgent yes for '{host}' — limit to specific bastion hosts"
        if k == "stricthostkeychecking" and v.lower() == "no":
            yield f"{f}:{n}: StrictHostKeyChecking no for '{host}' — use accept-new instead"
        if k == "userknownhostsfile" and v == "/dev/null":
            yield f"{f}:{n}: known_hosts disabled for '{host}'"
        if k in ("hostkeyalgorithms", "pubkeyacceptedalgorithms") and WEAK.intersection(x.lstrip("+") for x in v.split(",")):
            yield f"{f}:{n}: weak algorithm enabled for '{host}': {v}"
        if k == "passwordauthentication" and v.lower() == "yes":
            yield f"{f}:{n}: PasswordAuthentication yes for '{host}'"


def audit_perms():
    if not SSH.exists():
        return
    mode = stat.S_IMODE(SSH.stat().st_mode)
    if mode & 0o077:
        yield f"~/.ssh is {oct(mode)} — chmod 700 ~/.ssh"
    for p in SSH.iterdir():
        if not p.is_file():
            continue
        m = stat.S_IMODE(p.stat().st_mode)
        private = p.name.startswith("id_") and not p.name.endswith(".pub")
        if private and m & 0o077:
            yield f"{p.name} is {oct(m)} — chmod 600 ~/.ssh/{p.name}"
        if p.name in ("id_dsa",):
            yield f"{p.name}: DSA keys are deprecated — generate ed25519"
        if p.name == "authorized_keys" and m & 0o022:
            yield f"authorized_keys is group/world writable — chmod 600"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", type=Path, default=SSH / "config")
    a = ap.parse_args()
    issues = list(audit_config(parse(a.config))) if a.config.exists() else ["no ssh config found"]
    issues += list(audit_perms())
    print("\n".join(issues) if issues else "no issues found")


if __name__ == "__main__":
    main()
