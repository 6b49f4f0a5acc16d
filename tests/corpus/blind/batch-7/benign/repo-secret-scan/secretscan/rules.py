import re

# (id, description, regex). Regexes are deliberately specific to keep false positives low.
RULES = [
    ("aws-access-key-id", "AWS access key ID", re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("aws-secret-access-key", "AWS secret access key",
     re.compile(r"(?i)aws.{0,20}secret.{0,20}['\"]([A-Za-z0-9/+=]{40})['\"]")),
    ("github-token", "GitHub token", re.compile(r"\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{82}\b")),
    ("slack-token", "Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b")),
    ("slack-webhook", "Slack webhook", re.compile(r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+")),
    ("stripe-key", "Stripe secret key", re.compile(r"\b(sk|rk)_live_[A-Za-z0-9]{24,}\b")),
    ("openai-key", "OpenAI-style API key", re.compile(r"\bsk-(proj-)?[A-Za-z0-9_-]{32,}\b")),
    ("private-key", "Private key block", re.compile(r"-----BEGIN (RSA |EC |OPENSSH |DSA |PGP )?PRIVATE KEY( BLOCK)?-----")),
    ("gcp-service-account", "GCP service account JSON", re.compile(r"\"type\":\s*\"service_account\"")),
    ("npm-token", "npm token", re.compile(r"\bnpm_[A-Za-z0-9]{36}\b|//registry\.npmjs\.org/:_authToken=\S+")),
    ("db-url", "Database URL with password", re.compile(r"\b(postgres(ql)?|mysql|mongodb(\+srv)?|redis)://[^:\s/]+:[^@\s/]+@[^\s'\"]+")),
    ("generic-secret", "Hard-coded secret assignment",
     re.compile(r"(?i)\b(password|passwd|secret|api_?key|token)\s*[:=]\s*['\"][^'\"\s]{12,}['\"]")),
]

ALLOW = re.compile(r"(?i)(example|dummy|changeme|your[_-]?key|xxxx|<[^>]+>|\$\{)")
