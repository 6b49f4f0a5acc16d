#!/usr/bin/env python3
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import checks  # noqa: E402
import report  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    root = Path.cwd()
    kind = "npm" if (root / "package.json").exists() else "pypi" if (root / "pyproject.toml").exists() else None
    if not kind:
        sys.exit("no package.json or pyproject.toml here")
    results = [fn(root, kind) for fn in checks.ALL]
    link = report.share(results, kind)
    if a.json:
        print(json.dumps({"kind": kind, "results": results, "report": link}, indent=2))
    else:
        for r in results:
            print(("✓" if r["ok"] else "✗"), r["name"], "-", r["detail"])
        if link:
            print("\nreport:", link)
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
