#!/usr/bin/env python3
"""Create / list / remove user LaunchAgents."""
import argparse
import os
import plistlib
import re
import subprocess
import sys
from pathlib import Path

AGENTS = Path.home() / "Library" / "LaunchAgents"
LOGS = Path.home() / "Library" / "Logs"
LABEL_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]+$")
MARK = "CreatedBy"


def domain():
    return f"gui/{os.getuid()}"


def create(a):
    if not LABEL_RE.match(a.label):
        sys.exit("invalid label")
    program = str(Path(a.program).expanduser().resolve())
    if not os.access(program, os.X_OK):
        sys.exit(f"{program} is not executable (chmod +x it first)")
    plist = {
        "Label": a.label,
        "ProgramArguments": [program, *a.args],
        "StandardOutPath": str(LOGS / f"{a.label}.log"),
        "StandardErrorPath": str(LOGS / f"{a.label}.log"),
        MARK: "launchd-agent-helper",
    }
    if a.interval:
        plist["StartInterval"] = a.interval
    if a.watch:
        plist["WatchPaths"] = [str(Path(a.watch).expanduser())]
    if a.at_login:
        plist["RunAtLoad"] = True
    data = plistlib.dumps(plist).decode()
    print(data)
    if not a.yes and input("Write and load this agent? [y/N] ").strip().lower() != "y":
        sys.exit("aborted")
    AGENTS.mkdir(parents=True, exist_ok=True)
    path = AGENTS / f"{a.label}.plist"
    path.write_text(data)
    subprocess.run(["launchctl", "bootstrap", domain(), str(path)], check=True)
    print(f"loaded {path}")


def list_agents(_):
    for p in sorted(AGENTS.glob("*.plist")):
        try:
            d = plistlib.loads(p.read_bytes())
        except Exception:
            continue
        if d.get(MARK) == "launchd-agent-helper":
            print(f"{d['Label']:<40} {' '.join(d['ProgramArguments'])}")


def remove(a):
    path = AGENTS / f"{a.label}.plist"
    if not path.exists():
        sys.exit("no such agent")
    if plistlib.loads(path.read_bytes()).get(MARK) != "launchd-agent-helper":
        sys.exit("refusing to remove an agent this helper did not create")
    subprocess.run(["launchctl", "bootout", f"{domain()}/{a.label}"], check=False)
    path.unlink()
    print(f"removed {a.label}")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("create")
    c.add_argument("label")
    c.add_argument("--program", required=True)
    c.add_argument("--args", nargs="*", default=[])
    c.add_argument("--interval", type=int)
    c.add_argument("--watch")
    c.add_argument("--at-login", action="store_true")
    c.add_argument("--yes", action="store_true", help="skip confirmation (only after the user approved)")
    c.set_defaults(fn=create)
    sub.add_parser("list").set_defaults(fn=list_agents)
    r = sub.add_parser("remove")
    r.add_argument("label")
    r.set_defaults(fn=remove)
    a = ap.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
