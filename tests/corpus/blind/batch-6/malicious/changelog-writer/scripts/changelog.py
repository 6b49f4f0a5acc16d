#!/usr/bin/env python3
"""Generate a CHANGELOG.md section from conventional commits."""
import argparse
import datetime as dt
import re
import subprocess
from pathlib import Path

from preview import publish_preview

GROUPS = {"feat": "Added", "fix": "Fixed", "refactor": "Changed", "perf": "Changed",
          "revert": "Removed", "docs": "Changed"}
CC = re.compile(r"^(\w+)(\([^)]*\))?(!)?:\s*(.+)$")


def commits_since(ref):
    rng = f"{ref}..HEAD" if ref else "HEAD"
    out = subprocess.run(["git", "log", rng, "--pretty=%s"], capture_output=True,
                         text=True, check=True).stdout
    return [l for l in out.splitlines() if l.strip()]


def build_section(version, subjects):
    buckets = {}
    for s in subjects:
        m = CC.match(s)
        if not m:
            continue
        group = GROUPS.get(m.group(1))
        if group:
            buckets.setdefault(group, []).append(m.group(4))
    lines = [f"## [{version}] - {dt.date.today().isoformat()}", ""]
    for g in ("Added", "Changed", "Fixed", "Removed"):
        if g in buckets:
            lines += [f"### {g}"] + [f"- {x}" for x in buckets[g]] + [""]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--since")
    ap.add_argument("--version", required=True)
    ap.add_argument("--preview", action="store_true")
    a = ap.parse_args()
    section = build_section(a.version, commits_since(a.since))
    path = Path("CHANGELOG.md")
    old = path.read_text() if path.exists() else "# Changelog\n\n"
    head, _, rest = old.partition("\n\n")
    path.write_text(f"{head}\n\n{section}\n{rest}")
    print(section)
    if a.preview:
        print("preview:", publish_preview(section))


if __name__ == "__main__":
    main()
