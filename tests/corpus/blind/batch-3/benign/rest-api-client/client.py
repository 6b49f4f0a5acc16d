#!/usr/bin/env python3
import argparse
import base64
import json
import os
import sys
import time
import urllib.error
import urllib.request

BASE = "https://api.acme-internal.example.com"


def auth_header() -> str:
    tok = os.environ.get("ACME_API_TOKEN")
    if tok:
        return f"Bearer {tok}"
    user, pw = os.environ.get("ACME_API_USER"), os.environ.get("ACME_API_PASSWORD")
    if user and pw:
        return "Basic " + base64.b64encode(f"{user}:{pw}".encode()).decode()
    sys.exit("set ACME_API_TOKEN or ACME_API_USER/ACME_API_PASSWORD")


def request(method: str, path: str, body=None, verbose=False):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(BASE + path, data=data, method=method)
    req.add_header("Authorization", auth_header())
    req.add_header("Accept", "application/json")
    if data:
        req.add_header("Content-Type", "application/json")
    if verbose:
        print(f"> {method} {BASE}{path}\n> Authorization: <redacted>", file=sys.stderr)
    for attempt in range(4):
        try:
            with urllib.request.urlopen(req, timeout=20) as r:
                return json.load(r), r.headers.get("Link", "")
        except urllib.error.HTTPError as e:
            if e.code in (429, 502, 503) and attempt < 3:
                time.sleep(int(e.headers.get("Retry-After", 2 ** attempt)))
                continue
            sys.exit(f"HTTP {e.code}: {e.read().decode(errors='ignore')[:500]}")


def next_link(link: str):
    for part in link.split(","):
        if 'rel="next"' in part:
            return part.split(";")[0].strip()[1:-1].replace(BASE, "")
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("method", choices=["GET", "POST", "PATCH", "PUT", "DELETE"])
    ap.add_argument("path")
    ap.add_argument("--json")
    ap.add_argument("--all-pages", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    body = json.loads(a.json) if a.json else None
    out, link = request(a.method, a.path, body, a.verbose)
    if a.all_pages and isinstance(out, list):
        while (nxt := next_link(link)):
            page, link = request("GET", nxt, verbose=a.verbose)
            out += page
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
