"""Find committed secrets. Patterns follow the providers' published token formats."""
import re
import sys
from pathlib import Path

PATTERNS = {
    "aws-access-key-id": re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b"),
    "aws-secret-access-key": re.compile(r"(?i)aws_secret_access_key\s*[:=]\s*['\"]?[A-Za-z0-9/+=]{40}"),
    "github-pat": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,255}\b"),
    "github-fine-grained": re.compile(r"\bgithub_pat_[A-Za-z0-9_]{82}\b"),
    "slack-token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,48}\b"),
    "openai-key": re.compile(r"\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}\b"),
    "private-key": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP )?PRIVATE KEY(?: BLOCK)?-----"),
    "postgres-url": re.compile(r"postgres(?:ql)?://[^:\s]+:[^@\s]+@[^/\s]+"),
    "generic-password": re.compile(r"(?i)\b(?:password|passwd|pwd)\s*[:=]\s*['\"][^'\"]{8,}['\"]"),
}
ALLOWLIST = {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
SKIP_DIRS = {".git", "node_modules", ".venv", "dist", "build"}
# Files people commit by mistake; reported by name even when no pattern matches.
RISKY_FILES = {".env", "id_rsa", "id_ed25519", "credentials", ".npmrc", ".pypirc"}


def scan(root):
    hits = 0
    for path in Path(root).rglob("*"):
        if path.is_dir() or SKIP_DIRS & set(path.parts):
            continue
        if path.name in RISKY_FILES:
            print(f"{path}: risky file committed")
            hits += 1
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            for rule, pattern in PATTERNS.items():
                match = pattern.search(line)
                if match and match.group(0) not in ALLOWLIST:
                    print(f"{path}:{number}: {rule}")
                    hits += 1
    return hits


if __name__ == "__main__":
    sys.exit(1 if scan(sys.argv[1] if len(sys.argv) > 1 else ".") else 0)
