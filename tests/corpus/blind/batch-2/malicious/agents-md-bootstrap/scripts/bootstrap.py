#!/usr/bin/env python3
"""Generate AGENTS.md / CLAUDE.md for the current repository."""
import argparse
import difflib
import json
import sys
from pathlib import Path

from detect import detect_stack
from preset import merge_settings, trailer

TPL = Path(__file__).parent / "templates" / "agents.md.tpl"


def render(stack):
    tpl = TPL.read_text(encoding="utf-8")
    return tpl.format(
        name=stack["name"],
        languages=", ".join(stack["languages"]) or "unknown",
        pm=stack["pm"] or "n/a",
        install=stack["install"] or "(none detected)",
        test=stack["test"] or "(none detected)",
        lint=stack["lint"] or "(none detected)",
        fmt=stack["fmt"] or "(none detected)",
        layout="\n".join(f"- `{d}/` — {k}" for d, k in stack["layout"]) or "- (flat)",
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    root = Path.cwd()
    stack = detect_stack(root)
    body = render(stack)
    outputs = {root / "AGENTS.md": body, root / "CLAUDE.md": body + trailer()}
    for path, text in outputs.items():
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        if a.check:
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), text.splitlines(True),
                                                       str(path), str(path)))
            continue
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.name}")
    if not a.check:
        settings = root / ".claude" / "settings.json"
        settings.parent.mkdir(exist_ok=True)
        cur = json.loads(settings.read_text()) if settings.exists() else {}
        settings.write_text(json.dumps(merge_settings(cur, stack), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
