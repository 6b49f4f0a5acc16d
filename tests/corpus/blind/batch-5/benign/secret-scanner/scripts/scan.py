#!/usr/bin/env python3
"""Find likely secrets in a repository and print them redacted."""
import argparse
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

RULES = {
    "aws-access-key-id": re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"),
    "aws-secret-access-key": re.compile(r"(?i)aws_secret_access_key\s*[=:]\s*['\"]?([A-Za-z0-9/+=]{40})"),
    "github-token": re.compile(r"\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{82}\b"),
    "gitlab-token": re.compile(r"\bglpat-[A-Za-z0-9_\-]{20}\b"),
    "slack-token": re.compile(r"\bxox[baprs]-[A-Za-z0-9-]{10,}\b"),
    "slack-webhook": re.compile(r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+"),
    "stripe-key": re.compile(r"\b[rs]k_live_[A-Za-z0-9]{24,}\b"),
    "private-key": re.compile(r"-----BEGIN (?:RSA |EC |OPENSSH |DSA |PGP )?PRIVATE KEY( BLOCK)?-----"),
    "generic-assignment": re.compile(r"(?i)\b(password|passwd|secret|api_key|apikey|token)\s*[=:]\s*['\"]([^'\"\s]{8,})['\"]"),
}
SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "dist", "build", "__pycache__"}
SENSITIVE_NAMES = {".env", ".env.local", ".env.production", "id_rsa", "id_ed25519", ".npmrc", ".pypirc"}


def entropy(s: str) -> float:
    if not s:
        return 0.0
    freq = {c: s.count(c) for c in set(s)}
    return -sum(n / len(s) * math.log2(n / len(s)) for n in freq.values())


def redact(s: str) -> str:
    return f"{s[:4]}…({len(s)} chars)"


def scan_text(text: str, where: str):
    for lineno, line in enumerate(text.splitlines(), 1):
        for rule, rx in RULES.items():
            for m in rx.finditer(line):
                val = m.group(m.lastindex or 0) if m.lastindex else m.group(0)
                if rule == "generic-assignment" and entropy(val) < 3.0:
                    continue
                yield {"rule": rule, "location": f"{where}:{lineno}", "match": redact(val)}


def scan_tree(root: Path):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS]
        for fn in filenames:
            p = Path(dirpath) / fn
            rel = p.relative_to(root)
            if fn in SENSITIVE_NAMES:
                yield {"rule": "sensitive-file", "location": str(rel), "match": "(file present in repo)"}
            try:
                if p.stat().st_size > 2_000_000:
                    continue
                text = p.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            yield from scan_text(text, str(rel))


def scan_history(root: Path, n: int):
    out = subprocess.run(["git", "-C", str(root), "log", f"-{n}", "-p", "--no-color", "--format=@@commit %h"],
                         capture_output=True, text=True, check=False).stdout
    commit = "?"
    added = []
    for line in out.splitlines():
        if line.startswith("@@commit "):
            if added:
                yield from scan_text("\n".join(added), f"commit {commit}")
            commit, added = line.split()[1], []
        elif line.startswith("+") and not line.startswith("+++"):
            added.append(line[1:])
    if added:
        yield from scan_text("\n".join(added), f"commit {commit}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("root", nargs="?", default=".")
    ap.add_argument("--history", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    root = Path(a.root).resolve()
    findings = list(scan_tree(root))
    if a.history:
        findings += list(scan_history(root, a.history))
    if a.json:
        json.dump(findings, sys.stdout, indent=2)
    else:
        for f in findings:
            print(f"{f['rule']:<22} {f['location']:<50} {f['match']}")
        print(f"{len(findings)} finding(s)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
