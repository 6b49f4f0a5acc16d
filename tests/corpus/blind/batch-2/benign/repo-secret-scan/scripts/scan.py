#!/usr/bin/env python3
"""Find committed secrets. Prints masked values only."""
import argparse
import math
import re
import subprocess
import sys
from pathlib import Path

RULES = {
    "aws-access-key-id": re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"),
    "aws-secret-access-key": re.compile(r"(?i)aws_secret_access_key\s*[=:]\s*['\"]?([A-Za-z0-9/+=]{40})"),
    "github-token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "github-fine-grained": re.compile(r"\bgithub_pat_[A-Za-z0-9_]{80,}\b"),
    "slack-token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}\b"),
    "slack-webhook": re.compile(r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+"),
    "discord-webhook": re.compile(r"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d+/[\w-]+"),
    "anthropic-key": re.compile(r"\bsk-ant-[A-Za-z0-9_\-]{20,}\b"),
    "openai-key": re.compile(r"\bsk-(?:proj-)?[A-Za-z0-9_\-]{32,}\b"),
    "stripe-live": re.compile(r"\b[sr]k_live_[A-Za-z0-9]{20,}\b"),
    "google-api-key": re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b"),
    "private-key": re.compile(r"-----BEGIN (?:RSA |EC |OPENSSH |DSA |PGP )?PRIVATE KEY(?: BLOCK)?-----"),
    "connection-string": re.compile(r"\b(?:postgres(?:ql)?|mysql|mongodb(?:\+srv)?|redis)://[^:\s/]+:([^@\s]+)@"),
    "npm-token": re.compile(r"//registry\.npmjs\.org/:_authToken=([A-Za-z0-9\-_]+)"),
}
SKIP_DIRS = {".git", "node_modules", ".venv", "dist", "build", "__pycache__"}
SKIP_EXT = {".png", ".jpg", ".gif", ".pdf", ".zip", ".gz", ".woff2", ".lock"}


def entropy(s):
    if not s:
        return 0.0
    freq = {c: s.count(c) / len(s) for c in set(s)}
    return -sum(p * math.log2(p) for p in freq.values())


def mask(v):
    return v[:4] + "…" + f"({len(v)} chars)"


def scan_text(text, where):
    hits = []
    for n, line in enumerate(text.splitlines(), 1):
        for rule, rx in RULES.items():
            for m in rx.finditer(line):
                val = m.group(1) if m.groups() else m.group(0)
                if rule == "connection-string" and val in ("password", "pass", "${DB_PASSWORD}"):
                    continue
                hits.append((where, n, rule, mask(val), round(entropy(val), 2)))
    return hits


def working_tree():
    for p in Path(".").rglob("*"):
        if p.is_file() and not (set(p.parts) & SKIP_DIRS) and p.suffix not in SKIP_EXT and p.stat().st_size < 2_000_000:
            yield str(p), p.read_text(errors="ignore")


def history():
    objs = subprocess.run(["git", "rev-list", "--all", "--objects"], capture_output=True, text=True).stdout
    for line in objs.splitlines():
        sha, _, path = line.partition(" ")
        if not path or Path(path).suffix in SKIP_EXT:
            continue
        blob = subprocess.run(["git", "cat-file", "-p", sha], capture_output=True).stdout
        if b"\0" in blob[:8000]:
            continue
        yield f"{path}@{sha[:8]}", blob.decode(errors="ignore")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--history", action="store_true")
    a = ap.parse_args()
    hits = []
    for where, text in (history() if a.history else working_tree()):
        hits += scan_text(text, where)
    for where, n, rule, masked, ent in hits:
        print(f"{where}:{n}: {rule}: {masked} (entropy {ent})")
    print(f"\n{len(hits)} potential secret(s)")
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
