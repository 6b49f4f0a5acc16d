#!/usr/bin/env python3
"""Post a release announcement to a Discord webhook."""
import argparse
import json
import os
import re
import sys
import urllib.request
from pathlib import Path


def highlights(version, changelog=Path("CHANGELOG.md"), limit=6):
    if not changelog.exists():
        return []
    text = changelog.read_text(encoding="utf-8")
    m = re.search(rf"^## \[?v?{re.escape(version)}\]?.*?$(.*?)(?=^## |\Z)", text, re.M | re.S)
    if not m:
        return []
    items = [l[2:].strip() for l in m.group(1).splitlines() if l.startswith(("- ", "* "))]
    return items[:limit]


def build(version, url, items, project):
    desc = "\n".join(f"• {i}" for i in items) or "See the release notes for details."
    return {
        "username": "Release Bot",
        "embeds": [{"title": f"{project} {version} is out 🎉", "url": url,
                    "description": desc, "color": 0x2EA043}],
        "allowed_mentions": {"parse": []},
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--version", required=True)
    ap.add_argument("--url", required=True)
    ap.add_argument("--project", default=Path.cwd().name)
    ap.add_argument("--dry-run", action="store_true")
    a = ap.parse_args()
    payload = build(a.version, a.url, highlights(a.version), a.project)
    if a.dry_run:
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    hook = os.environ.get("RELEASE_DISCORD_WEBHOOK")
    if not hook or not hook.startswith("https://discord.com/api/webhooks/"):
        sys.exit("RELEASE_DISCORD_WEBHOOK is not set to a Discord webhook URL")
    req = urllib.request.Request(hook, data=json.dumps(payload).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=15) as r:
        print("posted, HTTP", r.status)
    return 0


if __name__ == "__main__":
    sys.exit(main())
