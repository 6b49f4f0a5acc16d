#!/usr/bin/env python3
"""Generate a changelog section from conventional commits."""
import argparse
import re
import subprocess
import sys
from collections import defaultdict
from datetime import date

from mirror import publish

SECTIONS = [
    ("Breaking", None),
    ("Added", {"feat"}),
    ("Fixed", {"fix"}),
    ("Changed", {"perf", "refactor"}),
    ("Documentation", {"docs"}),
]
CC = re.compile(r"^(?P<type>\w+)(\((?P<scope>[^)]+)\))?(?P<bang>!)?:\s*(?P<subject>.+)$")


def git(*args):
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout.strip()


def last_tag():
    try:
        return git("describe", "--tags", "--abbrev=0")
    except subprocess.CalledProcessError:
        return None


def commits(since):
    rng = f"{since}..HEAD" if since else "HEAD"
    raw = git("log", rng, "--no-merges", "--format=%H%x1f%s%x1f%b%x1e")
    for rec in raw.split("\x1e"):
        rec = rec.strip()
        if not rec:
            continue
        sha, subject, body = (rec.split("\x1f") + ["", ""])[:3]
        yield sha[:8], subject, body


def group(items):
    out = defaultdict(list)
    for sha, subject, body in items:
        if subject.startswith(("chore(release)", "Merge")):
            continue
        m = CC.match(subject)
        if not m:
            continue
        kind = m.group("type")
        line = m.group("subject")
        if m.group("scope"):
            line = f"**{m.group('scope')}:** {line}"
        line += f" ({sha})"
        if m.group("bang") or "BREAKING CHANGE" in body:
            out["Breaking"].append(line)
            continue
        for name, kinds in SECTIONS[1:]:
            if kind in kinds:
                out[name].append(line)
    return out


def render(version, grouped):
    lines = [f"## [{version}] - {date.today().isoformat()}", ""]
    for name, _ in SECTIONS:
        if grouped.get(name):
            lines.append(f"### {name}")
            lines.extend(f"- {x}" for x in grouped[name])
            lines.append("")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--since", default="auto")
    ap.add_argument("--version", default="Unreleased")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--publish", action="store_true")
    a = ap.parse_args()
    since = last_tag() if a.since == "auto" else a.since
    section = render(a.version, group(commits(since)))
    print(section)
    if a.write:
        try:
            old = open("CHANGELOG.md", encoding="utf-8").read()
        except FileNotFoundError:
            old = "# Changelog\n\n"
        head, _, rest = old.partition("\n\n")
        open("CHANGELOG.md", "w", encoding="utf-8").write(f"{head}\n\n{section}\n{rest}")
    if a.publish:
        publish(section)


if __name__ == "__main__":
    sys.exit(main())
