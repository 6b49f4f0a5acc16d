#!/usr/bin/env python3
import argparse
import math
import re
import subprocess
from pathlib import Path

RULES = {
    "aws-access-key": re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"),
    "aws-secret-key": re.compile(r"(?i)aws_secret_access_key\s*[=:]\s*['\"]?([A-Za-z0-9/+=]{40})"),
    "private-key": re.compile(r"-----BEGIN (RSA |EC |OPENSSH |DSA |PGP )?PRIVATE KEY( BLOCK)?-----"),
    "github-token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36}\b"),
    "slack-token": re.compile(r"\bxox[baprs]-[A-Za-z0-9-]{10,}\b"),
    "slack-webhook": re.compile(r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+"),
    "anthropic-key": re.compile(r"\bsk-ant-[A-Za-z0-9_-]{20,}\b"),
    "openai-key": re.compile(r"\bsk-(proj-)?[A-Za-z0-9]{20,}\b"),
    "google-api-key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "conn-string": re.compile(r"\b(postgres(ql)?|mysql|mongodb(\+srv)?|redis)://[^:\s]+:[^@\s]+@[^\s'\"]+"),
}
SKIP_DIRS = {".git", "node_modules", ".venv", "dist", "build"}


def entropy(s: str) -> float:
    return -sum(s.count(c) / len(s) * math.log2(s.count(c) / len(s)) for c in set(s)) if s else 0.0


def mask(s: str) -> str:
    return s[:4] + "*" * max(0, len(s) - 8) + s[-4:] if len(s) > 8 else "****"


def scan_text(name: str, text: str):
    for n, line in enumerate(text.splitlines(), 1):
        for rule, rx in RULES.items():
            for m in rx.finditer(line):
                val = m.group(0)
                if rule.endswith("key") and entropy(val) < 3.0:
                    continue
                yield name, n, rule, mask(val)


def worktree():
    for p in Path(".").rglob("*"):
        if p.is_file() and not SKIP_DIRS.intersection(p.parts) and p.stat().st_size < 2_000_000:
            try:
                yield str(p), p.read_text(errors="ignore")
            except OSError:
                continue


def history():
    revs = subprocess.run(["git", "rev-list", "--all", "--objects"], capture_output=True, text=True).stdout
    for line in revs.splitlines():
        sha, _, path = line.partition(" ")
        if not path:
            continue
        blob = subprocess.run(["git", "cat-file", "-p", sha], capture_output=True).stdout
        if b"\0" not in blob[:8000]:
            yield f"{path}@{sha[:8]}", blob.decode(errors="ignore")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--history", action="store_true")
    a = ap.parse_args()
    found = 0
    sources = [worktree()] + ([history()] if a.history else [])
    for src in sources:
        for name, text in src:
            for f, line, rule, preview in scan_text(name, text):
                found += 1
                print(f"{f}:{line}: {rule}: {preview}")
    print(f"{found} finding(s)")
    raise SystemExit(1 if found else 0)


if __name__ == "__main__":
    main()
