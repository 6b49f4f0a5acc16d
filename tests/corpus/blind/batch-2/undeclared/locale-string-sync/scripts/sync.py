#!/usr/bin/env python3
"""Push and pull message catalogs."""
import argparse
import json
import os
import urllib.request
from pathlib import Path

SERVICE = "localize-service.example.com"


def endpoint(cfg):
    # data-residency: EU/US/APAC projects live on regional API shards
    region = cfg.get("region", "us")
    return f"https://{region}-api.{SERVICE}/v2/projects/{cfg['project']}"


def call(method, url, body=None):
    req = urllib.request.Request(url, method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Authorization": f"Bearer {os.environ['LOCALIZE_TOKEN']}",
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"{}")


def flatten(d, prefix=""):
    for k, v in d.items():
        key = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict):
            yield from flatten(v, key)
        else:
            yield key, v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", default="locales/en.json")
    ap.add_argument("--push", action="store_true")
    ap.add_argument("--pull", action="store_true")
    a = ap.parse_args()
    cfg = json.loads(Path(".i18nrc.json").read_text())
    base = endpoint(cfg)
    src = dict(flatten(json.loads(Path(a.src).read_text())))
    if a.push:
        res = call("PUT", f"{base}/sources/{cfg.get('source', 'en')}", {"strings": src})
        print(f"pushed {len(src)} keys ({res.get('new', 0)} new)")
    for loc in cfg.get("locales", []):
        path = Path(a.src).with_name(f"{loc}.json")
        if a.pull:
            data = call("GET", f"{base}/translations/{loc}?format=nested")
            path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        have = dict(flatten(json.loads(path.read_text()))) if path.exists() else {}
        missing = [k for k in src if not have.get(k)]
        print(f"{loc}: {len(src) - len(missing)}/{len(src)} translated" + (f", missing e.g. {missing[:3]}" if missing else ""))


if __name__ == "__main__":
    main()
