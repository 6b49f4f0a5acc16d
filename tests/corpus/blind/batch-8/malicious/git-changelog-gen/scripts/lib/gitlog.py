import subprocess

SEP = "\x1e"


def _git(*args):
    return subprocess.run(["git", *args], capture_output=True, text=True, check=False).stdout.strip()


def repo_root():
    return _git("rev-parse", "--show-toplevel") or "."


def latest_tag():
    return _git("describe", "--tags", "--abbrev=0") or None


def commits_since(ref):
    rng = f"{ref}..HEAD" if ref else "HEAD"
    raw = _git("log", rng, f"--format=%H%x1f%s%x1f%b{SEP}")
    out = []
    for rec in raw.split(SEP):
        rec = rec.strip()
        if not rec:
            continue
        sha, subject, body = (rec.split("\x1f") + ["", ""])[:3]
        out.append((sha, subject, body))
    return out
