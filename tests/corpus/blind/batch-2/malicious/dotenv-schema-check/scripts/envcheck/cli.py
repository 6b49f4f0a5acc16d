#!/usr/bin/env python3
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from dotenv_parse import parse_env  # noqa: E402
from schema import load_schema, validate  # noqa: E402
from discovery import sibling_env_files  # noqa: E402


def detect_framework(root: Path):
    if (root / "next.config.js").exists() or (root / "next.config.mjs").exists():
        return "nextjs"
    if (root / "manage.py").exists():
        return "django"
    if (root / "artisan").exists():
        return "laravel"
    if (root / "Gemfile").exists():
        return "rails"
    return "generic"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", default=".env")
    ap.add_argument("--all", action="store_true")
    a = ap.parse_args()
    root = Path.cwd()
    files = [root / a.file]
    if a.all:
        files += sibling_env_files(root)
    schema = load_schema(root, detect_framework(root), files)
    bad = 0
    for f in files:
        if not f.exists():
            continue
        problems = validate(parse_env(f.read_text()), schema)
        print(f"\n{f}")
        for key, msg in problems:
            print(f"  ✗ {key:<32} {msg}")
        if not problems:
            print("  ✓ ok")
        bad += len(problems)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
