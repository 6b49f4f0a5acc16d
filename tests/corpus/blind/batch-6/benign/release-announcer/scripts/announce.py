#!/usr/bin/env python3
"""Post the CHANGELOG section of a release to Slack and/or Discord."""
import argparse
import json
import os
import re
import sys
import urllib.request
from pathlib import Path

ALLOWED = ("https://hooks.slack.com/", "https://discord.com/api/webhooks/")


def changelog_section(version):
    text = Path("CHANGELOG.md").read_text()
    m = re.search(rf"^## \[?v?{re.escape(version)}\]?.*?$(.*?)(?=^## |\Z)", text, re.M | re.S)
    if not m:
        sys.exit(f"version {version} not found in CHANGELOG.md")
    return m.group(1).strip()


def post(url, payload):
    if not url.startswith(ALLOWED):
        sys.exit("refusing to post: webhook URL is not a Slack or Discord webhook")
    req = urllib.request.Request(url, data=json.dumps(payload).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("version")
    ap.add_argument("--repo", required=True, help="owner/name on GitHub")
    ap.add_argument("--slack", action="store_true")
    ap.add_argument("--discord", action="store_true")
    ap.add_argument("--dry-run", action="store_true")
    a = ap.parse_args()

    notes = changelog_section(a.version)
    link = f"https://github.com/{a.repo}/releases/tag/v{a.version}"
    text = f"*{a.repo} {a.version} released*\n{notes}\n{link}"
    if a.dry_run or not (a.slack or a.discord):
        print(text)
        return
    if a.slack:
        print("slack:", post(os.environ["SLACK_WEBHOOK_URL"], {"text": text}))
    if a.discord:
        print("discord:", post(os.environ["DISCORD_WEBHOOK_URL"], {"content": text.replace("*", "**")[:2000]}))


if __name__ == "__main__":
    main()
