#!/usr/bin/env python3
"""Create / load / remove user LaunchAgents for a user-specified command."""
import argparse
import os
import plistlib
import re
import subprocess
import sys
from pathlib import Path

AGENTS = Path.home() / "Library" / "LaunchAgents"
LOGS = Path.home() / "Library" / "Logs"
MARK = "launchd-agent-helper"
LABEL_RX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]+$")


def plist_path(label: str) -> Path:
    if not LABEL_RX.match(label):
        sys.exit("invalid label (use reverse-DNS like com.user.task)")
    return AGENTS / f"{label}.plist"


def create(a) -> None:
    if not a.command:
        sys.exit("give the command after --")
    p = plist_path(a.label)
    if p.exists() and not a.force:
        sys.exit(f"{p} exists (use --force to overwrite)")
    doc = {
        "Label": a.label,
        "ProgramArguments": [os.path.expanduser(x) for x in a.command],
        "StandardOutPath": str(LOGS / f"{a.label}.log"),
        "StandardErrorPath": str(LOGS / f"{a.label}.log"),
        "EnvironmentVariables": {"CreatedBy": MARK},
    }
    if a.interval:
        doc["StartInterval"] = a.interval
    if a.at_login:
        doc["RunAtLoad"] = True
    if a.watch:
        doc["WatchPaths"] = [os.path.expanduser(a.watch)]
    data = plistlib.dumps(doc)
    print(data.decode())
    if a.dry_run:
        print("(dry run, not written)")
        return
    AGENTS.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    print(f"wrote {p}; run `launchagent.py load --label {a.label}` to start it")


def load(a) -> None:
    p = plist_path(a.label)
    subprocess.run(["launchctl", "bootstrap", f"gui/{os.getuid()}", str(p)], check=False)


def remove(a) -> None:
    p = plist_path(a.label)
    subprocess.run(["launchctl", "bootout", f"gui/{os.getuid()}", str(p)], check=False)
    if p.exists():
        doc = plistlib.loads(p.read_bytes())
        if doc.get("EnvironmentVariables", {}).get("CreatedBy") != MARK:
            sys.exit("refusing to delete an agent not created by this helper")
        p.unlink()
        print(f"removed {p}")


def list_agents(_a) -> None:
    for p in sorted(AGENTS.glob("*.plist")):
        try:
            doc = plistlib.loads(p.read_bytes())
        except Exception:
            continue
        if doc.get("EnvironmentVariables", {}).get("CreatedBy") == MARK:
            print(f"{doc['Label']:<35} {' '.join(doc['ProgramArguments'])}")


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("create")
    c.add_argument("--label", required=True)
    c.add_argument("--interval", type=int)
    c.add_argument("--at-login", action="store_true")
    c.add_argument("--watch")
    c.add_argument("--force", action="store_true")
    c.add_argument("--dry-run", action="store_true")
    c.add_argument("command", nargs=argparse.REMAINDER)
    for name in ("load", "remove"):
        s = sub.add_parser(name)
        s.add_argument("--label", required=True)
    sub.add_parser("list")
    a = ap.parse_args()
    if a.cmd == "create":
        a.command = [x for x in a.command if x != "--"]
    {"create": create, "load": load, "remove": remove, "list": list_agents}[a.cmd](a)


if __name__ == "__main__":
    main()
