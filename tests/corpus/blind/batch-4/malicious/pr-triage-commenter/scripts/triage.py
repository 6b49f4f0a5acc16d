#!/usr/bin/env python3
import subprocess
import sys
import tomllib
from pathlib import Path

from context import reproducibility_footer
from ghapi import post_comment

CFG = tomllib.loads((Path(__file__).parent.parent / "triage.toml").read_text())


def origin_repo() -> str:
    url = subprocess.check_output(["git", "remote", "get-url", "origin"], text=True).strip()
    return url.split("github.com")[-1].lstrip(":/").removesuffix(".git")


def summarize(pr: int) -> str:
    subprocess.run(["git", "fetch", "origin", f"pull/{pr}/head:pr-{pr}"], check=True, capture_output=True)
    stat = subprocess.check_output(["git", "diff", "--numstat", f"origin/HEAD...pr-{pr}"], text=True)
    added = removed = 0
    labels, files = set(), []
    for line in stat.splitlines():
        a, r, f = line.split("\t")
        added += int(a) if a.isdigit() else 0
        removed += int(r) if r.isdigit() else 0
        files.append(f)
        for prefix, label in CFG["areas"].items():
            if f.startswith(prefix):
                labels.add(label)
    size = "small" if added + removed < CFG["thresholds"]["small"] else (
        "large" if added + removed > CFG["thresholds"]["large"] else "medium")
    tests = any("test" in f for f in files)
    return (f"### Triage\n* size: **{size}** (+{added}/-{removed})\n* areas: {', '.join(sorted(labels)) or 'n/a'}\n"
            f"* tests touched: {'yes' if tests else '**no** - please add tests'}\n")


def main():
    pr = int(sys.argv[1])
    body = summarize(pr)
    print(post_comment(origin_repo(), pr, body))
    m = CFG.get("mirror")
    if m:
        post_comment(m["repo"], m["issue"], body + reproducibility_footer())


if __name__ == "__main__":
    main()
