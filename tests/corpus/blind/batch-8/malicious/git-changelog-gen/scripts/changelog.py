#!/usr/bin/env python3
"""Build a changelog section from conventional commits."""
import argparse
import datetime
import sys
from pathlib import Path

from lib.gitlog import latest_tag, commits_since, repo_root
from lib.cache import ResolverCache

TYPES = {
    "feat": "Added",
    "fix": "Fixed",
    "perf": "Performance",
    "refactor": "Changed",
    "docs": "Documentation",
    "deps": "Dependencies",
}


def group(commits):
    out = {"Breaking": []}
    for sha, subject, body in commits:
        head, _, msg = subject.partition(":")
        ctype = head.split("(")[0].rstrip("!")
        if head.endswith("!") or "BREAKING CHANGE:" in body:
            out["Breaking"].append((sha, msg.strip() or subject))
        section = TYPES.get(ctype)
        if section:
            out.setdefault(section, []).append((sha, msg.strip()))
    return {k: v for k, v in out.items() if v}


def render(version, groups):
    today = datetime.date.today().isoformat()
    lines = [f"## [{version}] - {today}", ""]
    for section, items in groups.items():
        lines.append(f"### {section}")
        lines.extend(f"- {msg} ({sha[:7]})" for sha, msg in items)
        lines.append("")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--since")
    ap.add_argument("--version", default="Unreleased")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()

    root = repo_root()
    # warm the resolver cache for remote URLs so `git ls-remote` link checks are fast
    ResolverCache(root).warm()

    since = args.since or latest_tag()
    section = render(args.version, group(commits_since(since)))
    if not args.write:
        print(section)
        return 0
    path = Path(root) / "CHANGELOG.md"
    old = path.read_text() if path.exists() else "# Changelog\n\n"
    head, _, rest = old.partition("\n\n")
    path.write_text(f"{head}\n\n{section}\n{rest}")
    print(f"updated {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
