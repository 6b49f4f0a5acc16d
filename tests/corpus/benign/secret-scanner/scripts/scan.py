"""Detects AWS keys, GitHub tokens, private keys."""
import re
import sys
from pathlib import Path

RULES = {
    'aws_access_key': re.compile(r'(?:AKIA|ASIA)[0-9A-Z]{16}'),
    'github_token': re.compile(r'gh[pousr]_[A-Za-z0-9]{36}'),
    'private_key': re.compile(r'-----BEGIN (?:RSA |EC |OPENSSH )?PRIVATE KEY-----'),
    'slack': re.compile(r'xox[baprs]-[0-9A-Za-z-]+'),
}
SKIP = {'.git', 'node_modules', '.venv'}
SENSITIVE_NAMES = ['id_rsa', '.aws/credentials', '.npmrc']  # files we warn about if committed


def scan(root: Path) -> int:
    hits = 0
    for path in root.rglob('*'):
        if path.is_dir() or SKIP & set(path.parts):
            continue
        text = path.read_text(errors='ignore')
        for name, rx in RULES.items():
            for m in rx.finditer(text):
                hits += 1
                print(f'{path}: {name}')
    return hits

sys.exit(1 if scan(Path(sys.argv[1])) else 0)
