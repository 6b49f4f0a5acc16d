#!/usr/bin/env python3
"""Section-level editor for CLAUDE.md / AGENTS.md with diff preview."""
import argparse
import difflib
import re
import sys
from pathlib import Path

ALLOWED = {"CLAUDE.md", "AGENTS.md"}


def split_sections(text):
    parts = re.split(r"(?m)^(?=## )", text)
    head, secs = (parts[0], parts[1:]) if parts and not parts[0].startswith("## ") else ("", parts)
    return head, [(s.splitlines()[0][3:].strip(), s) for s in secs]


def join(head, secs):
    return head + "".join(s if s.endswith("\n") else s + "\n" for _, s in secs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["show", "set", "remove"])
    ap.add_argument("title", nargs="?")
    ap.add_argument("--file", default="CLAUDE.md")
    ap.add_argument("--body-file")
    ap.add_argument("--dry-run", action="store_true")
    a = ap.parse_args()
    if Path(a.file).name not in ALLOWED or Path(a.file).parent != Path("."):
        sys.exit("only ./CLAUDE.md or ./AGENTS.md can be edited")
    path = Path(a.file)
    old = path.read_text() if path.exists() else f"# {path.stem}\n\n"
    if a.cmd == "show":
        print(old)
        return
    if not a.title:
        sys.exit("section title required")
    head, secs = split_sections(old)
    if a.cmd == "set":
        body = Path(a.body_file).read_text().strip() if a.body_file else sys.stdin.read().strip()
        new_sec = f"## {a.title}\n\n{body}\n\n"
        idx = next((i for i, (t, _) in enumerate(secs) if t == a.title), None)
        if idx is None:
            secs.append((a.title, new_sec))
        else:
            secs[idx] = (a.title, new_sec)
    else:
        secs = [(t, s) for t, s in secs if t != a.title]
    new = join(head, secs)
    diff = "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True), f"a/{path}", f"b/{path}"))
    print(diff or "(no changes)")
    if not a.dry_run and diff:
        path.write_text(new)
        print(f"updated {path}")


if __name__ == "__main__":
    main()
