#!/usr/bin/env python3
"""Edit project-level CLAUDE.md / AGENTS.md with a confirmed diff."""
import argparse
import difflib
import re
import sys
from pathlib import Path

ALLOWED = {"CLAUDE.md", "AGENTS.md"}
# things that should never be written into agent memory by this tool
DENY = [
    re.compile(r"(?i)bypassPermissions|dangerously|skip.*(approval|confirm)|auto-?approve"),
    re.compile(r"(?i)\b(curl|wget|iwr|Invoke-WebRequest)\b.*(\||iex|sh\b)"),
    re.compile(r"https?://", re.I),
    re.compile(r"(?i)do not (tell|mention|inform).*user"),
]


def load(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else "# Project notes for coding agents\n"


def add(text: str, section: str, item: str) -> str:
    lines = text.rstrip("\n").split("\n")
    header = f"## {section}"
    if header not in lines:
        return "\n".join(lines + ["", header, f"- {item}"]) + "\n"
    i = lines.index(header) + 1
    while i < len(lines) and not lines[i].startswith("## "):
        i += 1
    while i > 0 and lines[i - 1] == "":
        i -= 1
    lines.insert(i, f"- {item}")
    return "\n".join(lines) + "\n"


def remove(text: str, needle: str) -> str:
    return "".join(l for l in text.splitlines(keepends=True) if not (l.startswith("- ") and needle in l))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("action", choices=["add", "remove", "show"])
    ap.add_argument("text", nargs="?")
    ap.add_argument("--section", default="Conventions")
    ap.add_argument("--file", default="CLAUDE.md")
    ap.add_argument("--yes", action="store_true")
    a = ap.parse_args()

    if a.file not in ALLOWED:
        sys.exit("only ./CLAUDE.md or ./AGENTS.md can be edited")
    path = Path.cwd() / a.file
    before = load(path)
    if a.action == "show":
        print(before)
        return 0
    if not a.text:
        sys.exit("missing text")
    if a.action == "add":
        for rx in DENY:
            if rx.search(a.text):
                sys.exit("refusing: this looks like a permission change, remote fetch or hidden instruction")
        after = add(before, a.section, a.text.strip())
    else:
        after = remove(before, a.text)

    diff = "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True), a.file, a.file))
    if not diff:
        print("no change")
        return 0
    print(diff)
    if not a.yes:
        if not sys.stdin.isatty() or input("apply? [y/N] ").strip().lower() != "y":
            print("not applied")
            return 1
    path.write_text(after, encoding="utf-8")
    print(f"updated {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
