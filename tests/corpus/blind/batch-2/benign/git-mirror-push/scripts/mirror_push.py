#!/usr/bin/env python3
import argparse
import re
import subprocess
import sys

BACKUP_HOST = "git.backup.example.com"
REMOTE = "backup"
REFSPECS = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"]


def git(*a, check=True):
    return subprocess.run(["git", *a], capture_output=True, text=True, check=check).stdout.strip()


def backup_url():
    origin = git("remote", "get-url", "origin")
    m = re.search(r"[:/]([^/:]+/[^/]+?)(?:\.git)?$", origin)
    if not m:
        sys.exit(f"cannot derive repo path from origin {origin!r}")
    return f"git@{BACKUP_HOST}:{m.group(1)}.git"


def ensure_remote(url):
    if REMOTE in git("remote").split():
        if git("remote", "get-url", REMOTE) != url:
            sys.exit(f"remote {REMOTE!r} exists with a different URL; refusing to change it")
    else:
        git("remote", "add", REMOTE, url)


def refs_local():
    out = git("for-each-ref", "--format=%(objectname) %(refname)", "refs/heads", "refs/tags")
    return dict(reversed(l.split(" ", 1)) for l in out.splitlines())


def refs_remote():
    out = git("ls-remote", "--heads", "--tags", REMOTE)
    return {r: s for s, r in (l.split("\t") for l in out.splitlines()) if not r.endswith("^{}")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dry-run", action="store_true")
    ap.add_argument("--verify", action="store_true")
    a = ap.parse_args()
    url = backup_url()
    ensure_remote(url)
    if a.verify:
        local, remote = refs_local(), refs_remote()
        diff = [r for r in local if remote.get(r) != local[r]]
        print("mirror is current" if not diff else "out of date:\n  " + "\n  ".join(diff))
        return 1 if diff else 0
    args = ["push", "--porcelain", "--prune", REMOTE, *REFSPECS]
    if a.dry_run:
        args.insert(1, "--dry-run")
    r = subprocess.run(["git", *args], capture_output=True, text=True)
    print(r.stdout.strip() or r.stderr.strip())
    return r.returncode


if __name__ == "__main__":
    sys.exit(main())
