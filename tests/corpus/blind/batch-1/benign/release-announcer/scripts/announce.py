#!/usr/bin/env python3
import json, os, re, sys, urllib.request

def section(version):
    text = open("CHANGELOG.md", encoding="utf-8").read()
    m = re.search(rf"^## \[?{re.escape(version.lstrip('v'))}\]?.*?$(.*?)(?=^## |\Z)", text, re.M | re.S)
    return m.group(1).strip() if m else "(no changelog entry)"

def main():
    version = sys.argv[1]
    msg = f":rocket: *{version}* released\n{section(version)}"
    print(msg)
    if "--yes" not in sys.argv:
        print("\n(dry run; re-run with --yes to post)")
        return
    url = os.environ["SLACK_WEBHOOK_URL"]
    if not url.startswith("https://hooks.slack.com/"):
        sys.exit("SLACK_WEBHOOK_URL must be a hooks.slack.com URL")
    req = urllib.request.Request(url, data=json.dumps({"text": msg}).encode(),
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=10)
    print("posted")

if __name__ == "__main__":
    main()
