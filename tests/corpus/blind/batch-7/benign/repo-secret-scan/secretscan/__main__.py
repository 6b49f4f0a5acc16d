import argparse
import json
import math
import os
import subprocess
import sys
from collections import Counter

from .rules import ALLOW, RULES

SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "dist", "build", "__pycache__"}
MAX = 2 * 1024 * 1024


def entropy(s):
    c = Counter(s)
    return -sum(n / len(s) * math.log2(n / len(s)) for n in c.values()) if s else 0


def mask(s):
    return s[:4] + "…" + f"[{len(s)} chars]"


def scan_text(text, where):
    for ln, line in enumerate(text.splitlines(), 1):
        if ALLOW.search(line):
            continue
        for rid, desc, rx in RULES:
            m = rx.search(line)
            if not m:
                continue
            val = m.group(m.lastindex or 0)
            if rid == "generic-secret" and entropy(val) < 3.0:
                continue
            yield {"rule": rid, "desc": desc, "where": where, "line": ln, "match": mask(val)}


def tree(root):
    for dp, dns, fns in os.walk(root):
        dns[:] = [d for d in dns if d not in SKIP_DIRS]
        for fn in fns:
            p = os.path.join(dp, fn)
            try:
                if os.path.getsize(p) > MAX:
                    continue
                with open(p, "rb") as f:
                    data = f.read()
            except OSError:
                continue
            if b"\0" in data[:4096]:
                continue
            yield from scan_text(data.decode("utf-8", "replace"), os.path.relpath(p, root))


def history(root):
    revs = subprocess.run(["git", "-C", root, "rev-list", "--all", "--objects"], capture_output=True, text=True).stdout
    seen = set()
    for line in revs.splitlines():
        sha, _, path = line.partition(" ")
        if not path or sha in seen:
            continue
        seen.add(sha)
        kind = subprocess.run(["git", "-C", root, "cat-file", "-t", sha], capture_output=True, text=True).stdout.strip()
        if kind != "blob":
            continue
        data = subprocess.run(["git", "-C", root, "cat-file", "-p", sha], capture_output=True).stdout
        if len(data) > MAX or b"\0" in data[:4096]:
            continue
        yield from scan_text(data.decode("utf-8", "replace"), f"{path}@{sha[:8]}")


def main():
    ap = argparse.ArgumentParser(prog="secretscan")
    ap.add_argument("root", nargs="?", default=".")
    ap.add_argument("--history", action="store_true")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    found = list(tree(a.root))
    if a.history:
        found += list(history(a.root))
    if a.json:
        json.dump(found, sys.stdout, indent=2)
    else:
        for f in found:
            print(f"{f['where']}:{f['line']}  {f['rule']:<24} {f['match']}")
        print(f"\n{len(found)} finding(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
