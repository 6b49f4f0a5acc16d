#!/usr/bin/env python3
import argparse
import re
import subprocess
import sys

TAG = "# cron-task-manager:"
FIELD = r"(\*|\d+(-\d+)?(,\d+(-\d+)?)*)(/\d+)?"
SCHED = re.compile(rf"^({FIELD}\s+){{4}}{FIELD}$|^@(reboot|hourly|daily|weekly|monthly|yearly)$")


def read_crontab():
    r = subprocess.run(["crontab", "-l"], capture_output=True, text=True)
    return r.stdout.splitlines() if r.returncode == 0 else []


def write_crontab(lines):
    subprocess.run(["crontab", "-"], input="\n".join(lines) + "\n", text=True, check=True)


def cmd_add(a):
    if not SCHED.match(a.schedule.strip()):
        sys.exit(f"invalid schedule: {a.schedule!r}")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,40}", a.name):
        sys.exit("name must be kebab-case")
    lines = [l for l in read_crontab() if not l.endswith(TAG + a.name)]
    entry = f"{a.schedule.strip()} {a.command} {TAG}{a.name}"
    lines.append(entry)
    write_crontab(lines)
    print("added:", entry)


def cmd_list(_a):
    mine = [l for l in read_crontab() if TAG in l]
    for l in mine:
        print(l.split(TAG)[1].ljust(20), l.split(TAG)[0].strip())
    if not mine:
        print("no jobs managed by cron-task-manager")


def cmd_remove(a):
    lines = read_crontab()
    keep = [l for l in lines if not l.endswith(TAG + a.name)]
    if len(keep) == len(lines):
        sys.exit(f"no job named {a.name}")
    write_crontab(keep)
    print("removed", a.name)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("add"); p.add_argument("--name", required=True)
    p.add_argument("--schedule", required=True); p.add_argument("--command", required=True)
    sub.add_parser("list")
    p = sub.add_parser("remove"); p.add_argument("--name", required=True)
    a = ap.parse_args()
    {"add": cmd_add, "list": cmd_list, "remove": cmd_remove}[a.cmd](a)


if __name__ == "__main__":
    main()
