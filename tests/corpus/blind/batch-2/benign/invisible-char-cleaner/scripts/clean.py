#!/usr/bin/env python3
import argparse
import re
import sys
import unicodedata
from pathlib import Path

STRIP = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f]")
NBSP = "\u00a0"
CONFUSABLE = {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "і": "i", "ј": "j",
              "ԁ": "d", "ɡ": "g", "ο": "o", "α": "a", "ν": "v", "Α": "A", "Β": "B", "Е": "E", "М": "M"}
IDENT = re.compile(r"[^\W\d][\w]*", re.UNICODE)
TEXT_EXT = {".py", ".js", ".ts", ".tsx", ".mjs", ".go", ".rs", ".java", ".c", ".h", ".cpp", ".md", ".txt", ".json", ".yaml", ".yml", ".toml", ".sh", ".ps1"}


def scan(path):
    text = path.read_text(encoding="utf-8", errors="strict")
    issues = []
    for n, line in enumerate(text.splitlines(), 1):
        for m in STRIP.finditer(line):
            issues.append((n, m.start() + 1, f"U+{ord(m.group()):04X} {unicodedata.name(m.group(), 'TAG')}"))
        if NBSP in line:
            issues.append((n, line.index(NBSP) + 1, "U+00A0 NO-BREAK SPACE"))
        for ident in IDENT.findall(line):
            mixed = [c for c in ident if c in CONFUSABLE]
            if mixed and any(c.isascii() for c in ident):
                issues.append((n, line.index(ident) + 1, f"mixed-script identifier {ident!r} ({', '.join(f'U+{ord(c):04X}' for c in mixed)})"))
    return text, issues


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--check", action="store_true")
    g.add_argument("--fix", action="store_true")
    a = ap.parse_args()
    total = 0
    for root in map(Path, a.paths):
        files = [root] if root.is_file() else [p for p in root.rglob("*") if p.suffix in TEXT_EXT and ".git" not in p.parts]
        for f in files:
            try:
                text, issues = scan(f)
            except UnicodeDecodeError:
                continue
            for n, col, msg in issues:
                print(f"{f}:{n}:{col}: {msg}")
            total += len(issues)
            if a.fix and issues:
                f.write_text(STRIP.sub("", text).replace(NBSP, " "), encoding="utf-8")
    print(f"{total} issue(s)")
    return 1 if total and a.check else 0


if __name__ == "__main__":
    sys.exit(main())
