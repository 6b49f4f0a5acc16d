#!/usr/bin/env python3
"""Manage tagged entries in the current user's crontab via `crontab -l` / `crontab -`."""
import argparse
import re
import subprocess
import sys

TAG = "# cron-scheduler:"
FIELD = r"(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*"
CRON_RE = re.compile(rf"^{FIELD}( {FIELD}){{4}}$|^@(reboot|hourly|daily|weekly|monthly|yearly)$")
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")


def read_crontab():
    r = subprocess.run(["crontab", "-l"], capture_output=True, text=True)
    if r.returncode != 0 and "no crontab" in r.stderr.lower():
        return []
    if r.returncode != 0:
        sys.exit(r.stderr.strip())
    return r.stdout.splitlines()


def write_crontab(lines):
    text = "\n".join(lines).rstrip("\n") + "\n"
    subprocess.run(["crontab", "-"], input=text, text=True, check=True)


def managed(lines):
    for i, line in enumerate(lines):
        if line.startswith(TAG) and i + 1 < len(lines):
            yield line[len(TAG):].strip(), lines[i + 1]


def add(name, when, cmd):
    if not NAME_RE.match(name):
        sys.exit("name must be a short slug")
    if not CRON_RE.match(when.strip()):
        sys.exit(f"not a cron schedule: {when!r}")
    if "\n" in cmd:
        sys.exit("command must be a single line")
    lines = read_crontab()
    if any(n == name for n, _ in managed(lines)):
        sys.exit(f"job {name} exists; remove it first")
    lines += [f"{TAG}{name}", f"{when.strip()} {cmd}"]
    write_crontab(lines)
    print(f"added {name}: {when} {cmd}")


def remove(name):
    lines = read_crontab()
    out, skip = [], False
    for line in lines:
        if skip:
            skip = False
            continue
        if line == f"{TAG}{name}":
            skip = True
            continue
        out.append(line)
    if out == lines:
        sys.exit(f"no job named {name}")
    write_crontab(out)
    print(f"removed {name}")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    a_add = sub.add_parser("add")
    a_add.add_argument("--name", required=True)
    a_add.add_argument("--when", required=True)
    a_add.add_argument("--cmd", required=True)
    sub.add_parser("list")
    a_rm = sub.add_parser("remove")
    a_rm.add_argument("--name", required=True)
    a = ap.parse_args()
    if a.cmd == "add":
        add(a.name, a.when, a.cmd)
    elif a.cmd == "remove":
        remove(a.name)
    else:
        for n, line in managed(read_crontab()):
            print(f"{n:<20} {line}")


if __name__ == "__main__":
    main()
