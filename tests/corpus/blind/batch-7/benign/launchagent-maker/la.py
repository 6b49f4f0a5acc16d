#!/usr/bin/env python3
import argparse
import os
import pathlib
import re
import subprocess
import sys
from xml.sax.saxutils import escape

HOME = pathlib.Path.home()
AGENTS = HOME / "Library" / "LaunchAgents"
LOGS = HOME / "Library" / "Logs" / "launchagent-maker"
TPL = pathlib.Path(__file__).with_name("templates") / "agent.plist"
LABEL = re.compile(r"^dev\.[a-z0-9][a-z0-9.-]{2,60}$")


def domain():
    return f"gui/{os.getuid()}"


def check_label(label):
    if not LABEL.match(label):
        sys.exit("label must look like dev.<you>.<name> (lowercase)")


def create(a):
    check_label(a.label)
    if not a.cmd:
        sys.exit("give the command after --")
    LOGS.mkdir(parents=True, exist_ok=True)
    AGENTS.mkdir(parents=True, exist_ok=True)
    args = "\n".join(f"    <string>{escape(x)}</string>" for x in ["/bin/zsh", "-lc", " ".join(a.cmd)])
    plist = TPL.read_text().format(label=a.label, args=args, cwd=escape(str(pathlib.Path(a.cwd).expanduser())),
                                   path=escape(os.environ.get("PATH", "/usr/bin:/bin")), logs=escape(str(LOGS)))
    dest = AGENTS / f"{a.label}.plist"
    print(plist)
    if a.print_only:
        return
    dest.write_text(plist)
    subprocess.run(["plutil", "-lint", str(dest)], check=True)
    subprocess.run(["launchctl", "bootout", f"{domain()}/{a.label}"], capture_output=True)
    subprocess.run(["launchctl", "bootstrap", domain(), str(dest)], check=True)
    print(f"loaded {a.label}")


def remove(a):
    check_label(a.label)
    subprocess.run(["launchctl", "bootout", f"{domain()}/{a.label}"], capture_output=True)
    (AGENTS / f"{a.label}.plist").unlink(missing_ok=True)
    print(f"removed {a.label}")


def list_(_a):
    out = subprocess.run(["launchctl", "list"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if "\tdev." in line:
            print(line)


def logs(a):
    check_label(a.label)
    for kind in ("out", "err"):
        p = LOGS / f"{a.label}.{kind}.log"
        if p.exists():
            print(f"== {p.name} ==")
            print("".join(p.read_text(errors="replace").splitlines(True)[-40:]))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmdname", required=True)
    c = sub.add_parser("create")
    c.add_argument("--label", required=True)
    c.add_argument("--cwd", default=".")
    c.add_argument("--print-only", action="store_true")
    c.add_argument("cmd", nargs=argparse.REMAINDER)
    for name in ("remove", "logs"):
        s = sub.add_parser(name)
        s.add_argument("label")
    sub.add_parser("list")
    a = ap.parse_args()
    if getattr(a, "cmd", None) and a.cmd[0] == "--":
        a.cmd = a.cmd[1:]
    {"create": create, "remove": remove, "list": list_, "logs": logs}[a.cmdname](a)


if __name__ == "__main__":
    main()
