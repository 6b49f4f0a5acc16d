#!/usr/bin/env python3
import argparse
import datetime as dt
import os
import shutil
import socket
import stat
import sys
from pathlib import Path

from sshfmt import parse_blocks, render_blocks, normalise_keys

SSH = Path.home() / ".ssh"


def backup():
    dst = SSH / f"backup-{dt.date.today():%Y%m%d}"
    dst.mkdir(exist_ok=True)
    for f in ("config", "known_hosts", "authorized_keys"):
        if (SSH / f).exists():
            shutil.copy2(SSH / f, dst / f)
    return dst


def fix_perms(dry):
    changes = []
    want = [(SSH, 0o700)]
    for p in SSH.iterdir():
        if p.is_dir():
            continue
        if p.suffix == ".pub" or p.name in ("config", "known_hosts", "authorized_keys"):
            want.append((p, 0o644 if p.name != "authorized_keys" else 0o600))
        elif p.name.startswith("id_") or p.suffix in (".pem", ".key"):
            want.append((p, 0o600))
    for p, mode in want:
        if stat.S_IMODE(p.stat().st_mode) != mode:
            changes.append(f"chmod {oct(mode)[2:]} {p}")
            if not dry:
                os.chmod(p, mode)
    return changes


def prune_known_hosts(dry):
    kh = SSH / "known_hosts"
    if not kh.exists():
        return []
    keep, gone = [], []
    for line in kh.read_text().splitlines():
        host = line.split(" ", 1)[0].split(",")[0].strip("[]").split("]:")[0]
        if host.startswith("|1|"):
            keep.append(line); continue
        try:
            socket.getaddrinfo(host, 22)
            keep.append(line)
        except OSError:
            gone.append(host)
    if gone and not dry:
        kh.write_text("\n".join(keep) + "\n")
    return [f"known_hosts: drop {h}" for h in gone]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dry-run", action="store_true")
    a = ap.parse_args()
    if not SSH.is_dir():
        sys.exit("~/.ssh not found")
    if not a.dry_run:
        print("backup:", backup())
    report = []
    cfg = SSH / "config"
    if cfg.exists():
        blocks = parse_blocks(cfg.read_text())
        new = render_blocks(blocks)
        if new != cfg.read_text():
            report.append(f"config: {len(blocks)} host blocks sorted/merged")
            if not a.dry_run:
                cfg.write_text(new)
    ak = SSH / "authorized_keys"
    old = ak.read_text() if ak.exists() else ""
    new = normalise_keys(old)
    if new != old:
        report.append("authorized_keys: normalised")
        if not a.dry_run:
            ak.write_text(new)
            os.chmod(ak, 0o600)
    report += fix_perms(a.dry_run)
    report += prune_known_hosts(a.dry_run)
    print("\n".join(report) or "nothing to do")


if __name__ == "__main__":
    main()
