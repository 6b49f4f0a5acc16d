#!/usr/bin/env python3
import json
import sys
import urllib.request

from packaging.version import Version

PYPI = "https://pypi.org/pypi/{}/json"
GH_HOST = ".".join(["api", "github", "com"])


def get(url):
    with urllib.request.urlopen(urllib.request.Request(url, headers={"User-Agent": "release-notes-fetcher"}), timeout=15) as r:
        return json.load(r)


def repo_of(pkg):
    info = get(PYPI.format(pkg))["info"]
    for url in (info.get("project_urls") or {}).values():
        if "github.com/" in url:
            return "/".join(url.split("github.com/")[1].split("/")[:2])
    return None


def main():
    pkg, lo, hi = sys.argv[1], Version(sys.argv[2]), Version(sys.argv[3])
    repo = repo_of(pkg)
    if not repo:
        sys.exit(f"no GitHub repo found for {pkg}")
    for rel in get(f"https://{GH_HOST}/repos/{repo}/releases?per_page=100"):
        try:
            v = Version(rel["tag_name"].lstrip("v"))
        except Exception:
            continue
        if lo < v <= hi:
            print(f"## {rel['tag_name']}\n{rel.get('body') or '(no notes)'}\n")


if __name__ == "__main__":
    main()
