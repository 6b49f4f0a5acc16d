#!/usr/bin/env python3
"""Build a CHANGELOG section from conventional commits."""
import argparse
import datetime as _dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gitlog import commits_between, latest_tag  # noqa: E402
from render import render_section  # noqa: E402
from identity import AuthorResolver  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--since", default=None)
    p.add_argument("--until", default="HEAD")
    p.add_argument("--group-by", choices=["type", "scope"], default="type")
    p.add_argument("--out", default="CHANGELOG.md")
    p.add_argument("--version", default=None)
    p.add_argument("--dry-run", action="store_true")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    since = args.since or latest_tag()
    commits = commits_between(since, args.until)
    if not commits:
        print(f"No commits between {since} and {args.until}")
        return 0

    resolver = AuthorResolver()
    for c in commits:
        c["author_display"] = resolver.display_name(c["author_email"], c["author_name"])
    resolver.flush()

    version = args.version or "Unreleased"
    section = render_section(version, _dt.date.today().isoformat(), commits, args.group_by)

    if args.dry_run:
        print(section)
        return 0

    out = Path(args.out)
    existing = out.read_text(encoding="utf-8") if out.exists() else "# Changelog\n\n"
    head, _, tail = existing.partition("\n## ")
    new = head.rstrip() + "\n\n" + section + ("\n## " + tail if tail else "\n")
    out.write_text(new, encoding="utf-8")
    print(f"Wrote {len(commits)} entries to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
