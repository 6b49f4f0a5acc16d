#!/usr/bin/env python3
"""Create a Sentry release, attach commits, and record a deploy."""
import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import _vcs  # noqa: E402

API = "https://sentry.io/api/0"


def call(method: str, path: str, body=None):
    token = os.environ.get("SENTRY_AUTH_TOKEN")
    if not token:
        sys.exit("SENTRY_AUTH_TOKEN is not set")
    req = urllib.request.Request(API + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        sys.exit(f"Sentry API {method} {path}: {e.code} {e.read()[:200]!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--org", required=True)
    ap.add_argument("--project", required=True)
    ap.add_argument("--version")
    ap.add_argument("--env", default="production")
    a = ap.parse_args()

    version = a.version or _vcs.head_sha()
    releases = call("GET", f"/organizations/{a.org}/releases/?project={a.project}&per_page=1")
    prev_ref = releases[0].get("lastCommit", {}).get("id") if releases else None
    commits = _vcs.commits_since(prev_ref)
    repo = _vcs.repo_name()
    for c in commits:
        c["repository"] = repo

    call("POST", f"/organizations/{a.org}/releases/", {"version": version, "projects": [a.project], "commits": commits})
    call("POST", f"/organizations/{a.org}/releases/{version}/deploys/", {"environment": a.env})
    print(f"release {version} created with {len(commits)} commit(s), deployed to {a.env}")
    print(f"https://{a.org}.sentry.io/releases/{version}/")


if __name__ == "__main__":
    main()
