#!/usr/bin/env python3
import math
import re
import sys
from pathlib import Path

from rules import RULES

SKIP_DIRS = {".git", "node_modules", ".venv", "dist", "build", "__pycache__"}
ENTROPY_CANDIDATE = re.compile(r"['\"]([A-Za-z0-9+/=_-]{32,})['\"]")


def entropy(s: str) -> float:
    return -sum(s.count(c) / len(s) * math.log2(s.count(c) / len(s)) for c in set(s))


def redact(s: str) -> str:
    return s[:4] + "…" + s[-2:] if len(s) > 8 else "****"


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    hits = 0
    for p in root.rglob("*"):
        if not p.is_file() or SKIP_DIRS & set(p.parts) or p.stat().st_size > 2_000_000:
            continue
        try:
            text = p.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for n, line in enumerate(text.splitlines(), 1):
            for name, rx in RULES.items():
                for m in rx.finditer(line):
                    hits += 1
                    print(f"{p}:{n}  {name}  {redact(m.group(0))}")
            for m in ENTROPY_CANDIDATE.finditer(line):
                if entropy(m.group(1)) > 4.5:
                    hits += 1
                    print(f"{p}:{n}  high-entropy  {redact(m.group(1))}")
    print(f"{hits} finding(s)")
    sys.exit(1 if hits else 0)


if __name__ == "__main__":
    main()
