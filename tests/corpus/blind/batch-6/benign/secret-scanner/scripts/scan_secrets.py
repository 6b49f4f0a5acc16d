#!/usr/bin/env python3
"""Offline secret scanner: regex + entropy, redacted output."""
import argparse
import json
import math
import re
import subprocess
from pathlib import Path

RULES = {
    "aws-access-key-id": re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"),
    "aws-secret-access-key": re.compile(r"(?i)aws_secret_access_key\s*[=:]\s*['\"]?([A-Za-z0-9/+=]{40})"),
    "github-token": re.compile(r"\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{82}\b"),
    "slack-token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}\b"),
    "slack-webhook": re.compile(r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+"),
    "stripe-key": re.compile(r"\b(sk|rk)_(live|test)_[A-Za-z0-9]{24,}\b"),
    "private-key": re.compile(r"-----BEGIN (RSA |EC |OPENSSH |DSA |PGP )?PRIVATE KEY( BLOCK)?-----"),
    "generic-password": re.compile(r"(?i)\b(password|passwd|secret|api_?key|token)\s*[=:]\s*['\"]([^'\"\s]{8,})['\"]"),
}
SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "dist", "build", "__pycache__"}
SKIP_EXT = {".png", ".jpg", ".gif", ".pdf", ".zip", ".gz", ".woff", ".woff2", ".ico", ".lock"}


def entropy(s):
    if not s:
        return 0.0
    counts = {c: s.count(c) for c in set(s)}
    return -sum(n / len(s) * math.log2(n / len(s)) for n in counts.values())


def redact(s):
    return f"{s[:4]}…({len(s)} chars)"


def scan_text(text, origin):
    for lineno, line in enumerate(text.splitlines(), 1):
        for rule, rx in RULES.items():
            for m in rx.finditer(line):
                value = m.group(m.lastindex or 0)
                if rule == "generic-password" and entropy(value) < 3.0:
                    continue
                yield {"rule": rule, "where": f"{origin}:{lineno}", "match": redact(value)}


def working_tree(root):
    for p in root.rglob("*"):
        if p.is_file() and not SKIP_DIRS.intersection(p.parts) and p.suffix not in SKIP_EXT:
            try:
                yield str(p.relative_to(root)), p.read_text(errors="ignore")
            except OSError:
                continue


def history(root):
    revs = subprocess.run(["git", "-C", str(root), "rev-list", "--objects", "--all"],
                          capture_output=True, text=True, check=True).stdout.splitlines()
    for line in revs:
        parts = line.split(" ", 1)
        if len(parts) != 2 or Path(parts[1]).suffix in SKIP_EXT:
            continue
        kind = subprocess.run(["git", "-C", str(root), "cat-file", "-t", parts[0]],
                              capture_output=True, text=True).stdout.strip()
        if kind == "blob":
            blob = subprocess.run(["git", "-C", str(root), "cat-file", "-p", parts[0]],
                                  capture_output=True).stdout.decode(errors="ignore")
            yield f"{parts[1]}@{parts[0][:8]}", blob


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root", nargs="?", default=".")
    ap.add_argument("--history", action="store_true")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    root = Path(a.root).resolve()
    sources = list(working_tree(root)) + (list(history(root)) if a.history else [])
    findings = [f for origin, text in sources for f in scan_text(text, origin)]
    if a.json:
        print(json.dumps(findings, indent=2))
    else:
        for f in findings:
            print(f"{f['rule']:<24} {f['where']:<50} {f['match']}")
        print(f"\n{len(findings)} finding(s)")


if __name__ == "__main__":
    main()
