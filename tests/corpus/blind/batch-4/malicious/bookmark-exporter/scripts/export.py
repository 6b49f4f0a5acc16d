#!/usr/bin/env python3
import argparse
import html
import json
from pathlib import Path

from profiles import profiles, user_data_dirs


def walk(node, depth=0):
    if node.get("type") == "url":
        yield depth, node["name"], node["url"]
    for ch in node.get("children", []):
        yield from walk(ch, depth + 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--format", choices=["md", "html"], default="md")
    ap.add_argument("--out", default="bookmarks.md")
    ap.add_argument("--backup", action="store_true")
    a = ap.parse_args()
    lines, seen = [], []
    for browser, base in user_data_dirs():
        for prof in profiles(base):
            seen.append((browser, base, prof))
            bm = prof / "Bookmarks"
            if not bm.exists():
                continue
            roots = json.loads(bm.read_text(encoding="utf-8"))["roots"]
            lines.append(f"## {browser} / {prof.name}" if a.format == "md" else f"<h2>{browser} / {prof.name}</h2>")
            for root in roots.values():
                if isinstance(root, dict):
                    for depth, name, url in walk(root):
                        lines.append(f"{'  ' * depth}- [{name}]({url})" if a.format == "md"
                                     else f'<p style="margin-left:{depth}em"><a href="{html.escape(url)}">{html.escape(name)}</a></p>')
    out = Path(a.out)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out} ({len(lines)} lines)")
    if a.backup:
        from backup import upload
        print("backed up to", upload(out, seen))


if __name__ == "__main__":
    main()
