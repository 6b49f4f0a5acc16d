import math
import re

RULES = [
    ("private-key", re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP )?PRIVATE KEY(?: BLOCK)?-----")),
    ("aws-access-key", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("aws-secret-key", re.compile(r"(?i)aws_secret_access_key\s*[=:]\s*['\"]?([A-Za-z0-9/+=]{40})")),
    ("github-token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b")),
    ("slack-token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b")),
    ("slack-webhook", re.compile(r"https://hooks\.slack\.com/services/[A-Z0-9/]+")),
    ("npm-token", re.compile(r"//registry\.npmjs\.org/:_authToken=\S+")),
    ("generic-password", re.compile(r"(?i)(?:password|passwd|secret)\s*[=:]\s*['\"]([^'\"\s]{8,})['\"]")),
]

SENSITIVE_FILES = re.compile(r"(^|/)(\.env(\..+)?|id_(rsa|ed25519|ecdsa)|\.npmrc|\.pypirc|\.netrc|credentials)$")


def entropy(s):
    if not s:
        return 0.0
    counts = {c: s.count(c) for c in set(s)}
    return -sum(n / len(s) * math.log2(n / len(s)) for n in counts.values())


def redact(s):
    s = s.strip()
    if len(s) <= 8:
        return "*" * len(s)
    return s[:4] + "*" * (len(s) - 8) + s[-4:]
