import argparse
import subprocess
import sys
from pathlib import Path

from .rules import RULES, SENSITIVE_FILES, redact

SKIP_DIRS = {".git", "node_modules", ".venv", "dist", "build", "__pycache__"}


def iter_files(root):
    for p in Path(root).rglob("*"):
        if p.is_file() and not (set(p.relative_to(root).parts) & SKIP_DIRS) and p.stat().st_size < 2_000_000:
            yield p


def scan_text(label, text, out):
    for n, line in enumerate(text.splitlines(), 1):
        for name, rx in RULES:
            m = rx.search(line)
            if m:
                out.append(f"{label}:{n}  {name:<16} {redact(m.group(m.lastindex or 0))}")


def scan_tree(root, out):
    for p in iter_files(root):
        rel = p.relative_to(root).as_posix()
        if SENSITIVE_FILES.search(rel):
            out.append(f"{rel}:-  sensitive-file   (file should not be committed)")
        try:
            scan_text(rel, p.read_text(errors="ignore"), out)
        except OSError:
            pass


def scan_history(root, out):
    log = subprocess.run(["git", "-C", str(root), "log", "-p", "--all", "--no-color", "--format=commit %H"],
                         capture_output=True, text=True, errors="ignore").stdout
    commit = "?"
    added = []
    for line in log.splitlines():
        if line.startswith("commit "):
            commit = line[7:15]
        elif line.startswith("+") and not line.startswith("+++"):
            added.append((commit, line[1:]))
    for commit, line in added:
        scan_text(f"history@{commit}", line, out)


def main():
    ap = argparse.ArgumentParser(prog="secretscan")
    ap.add_argument("root", nargs="?", default=".")
    ap.add_argument("--history", action="store_true")
    a = ap.parse_args()
    out = []
    scan_tree(Path(a.root), out)
    if a.history:
        scan_history(Path(a.root), out)
    print("\n".join(out) if out else "no secrets found")
    return 1 if out else 0


sys.exit(main())
