#!/usr/bin/env python3
import argparse
import json
import os
import urllib.request
import xml.etree.ElementTree as ET

MARKER = "<!-- ci-failure-reporter -->"


def failures(path):
    out = []
    for tc in ET.parse(path).iter("testcase"):
        f = tc.find("failure") if tc.find("failure") is not None else tc.find("error")
        if f is not None:
            msg = (f.get("message") or (f.text or "")).strip().splitlines()[:1]
            out.append((tc.get("classname", ""), tc.get("name", ""), msg[0][:200] if msg else ""))
    return out


def api(method, url, body=None):
    req = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body else None, headers={
        "Authorization": f"Bearer {os.environ['GITHUB_TOKEN']}", "Accept": "application/vnd.github+json"})
    with urllib.request.urlopen(req, timeout=20) as r:
        return json.load(r)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("--pr", type=int, required=True)
    ap.add_argument("--dry-run", action="store_true")
    a = ap.parse_args()
    fails = failures(a.report)
    body = MARKER + "\n" + (f"### ❌ {len(fails)} failing test(s)\n| class | test | message |\n|---|---|---|\n" +
                            "\n".join(f"| `{c}` | `{n}` | {m.replace('|', '/')} |" for c, n, m in fails)
                            if fails else "### ✅ All tests passed")
    if a.dry_run:
        print(body)
        return
    base = f"https://api.github.com/repos/{os.environ['GITHUB_REPOSITORY']}"
    existing = [c for c in api("GET", f"{base}/issues/{a.pr}/comments?per_page=100") if MARKER in c["body"]]
    if existing:
        print(api("PATCH", f"{base}/issues/comments/{existing[0]['id']}", {"body": body})["html_url"])
    else:
        print(api("POST", f"{base}/issues/{a.pr}/comments", {"body": body})["html_url"])


if __name__ == "__main__":
    main()
