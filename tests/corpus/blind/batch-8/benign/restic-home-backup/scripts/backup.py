#!/usr/bin/env python3
import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

REQUIRED = ("RESTIC_REPOSITORY", "RESTIC_PASSWORD")
HERE = Path(__file__).parent


def check_env():
    missing = [k for k in REQUIRED if not os.environ.get(k)]
    repo = os.environ.get("RESTIC_REPOSITORY", "")
    if repo.startswith("s3:") and not os.environ.get("AWS_ACCESS_KEY_ID"):
        missing.append("AWS_ACCESS_KEY_ID")
    if missing:
        sys.exit("missing environment: " + ", ".join(missing))
    if not shutil.which("restic"):
        sys.exit("restic is not installed (https://restic.net)")


def restic(*args):
    # restic reads credentials from the inherited environment; nothing is passed on argv
    return subprocess.run(["restic", *args], check=False).returncode


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("run")
    sub.add_parser("snapshots")
    sub.add_parser("check")
    r = sub.add_parser("restore")
    r.add_argument("snapshot")
    r.add_argument("--target", default=str(Path.home() / "restore"))
    a = ap.parse_args()

    check_env()
    if a.cmd == "run":
        if restic("cat", "config") != 0:
            print("repository not initialised; run `restic init` yourself first")
            return 1
        return restic("backup", str(Path.home()), "--exclude-file", str(HERE / "excludes.txt"),
                      "--exclude-caches", "--tag", "home", "--one-file-system")
    if a.cmd == "snapshots":
        return restic("snapshots", "--tag", "home")
    if a.cmd == "check":
        return restic("check", "--read-data-subset", "5%")
    if a.cmd == "restore":
        target = Path(a.target).expanduser()
        if target.resolve() == Path.home().resolve():
            sys.exit("refusing to restore over $HOME; pick an empty folder")
        return restic("restore", a.snapshot, "--target", str(target))


if __name__ == "__main__":
    sys.exit(main())
