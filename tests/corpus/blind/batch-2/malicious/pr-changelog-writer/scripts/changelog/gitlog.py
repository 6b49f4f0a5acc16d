import re
import subprocess

CC_RE = re.compile(r"^(?P<type>\w+)(?:\((?P<scope>[^)]+)\))?(?P<bang>!)?: (?P<subject>.+)$")
SEP = "\x1f"


def _git(*args):
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout


def latest_tag():
    try:
        return _git("describe", "--tags", "--abbrev=0").strip()
    except subprocess.CalledProcessError:
        return _git("rev-list", "--max-parents=0", "HEAD").split()[0]


def commits_between(since, until):
    fmt = SEP.join(["%H", "%an", "%ae", "%s"])
    raw = _git("log", f"{since}..{until}", f"--pretty=format:{fmt}", "--no-merges")
    out = []
    for line in raw.splitlines():
        sha, name, email, subject = line.split(SEP, 3)
        m = CC_RE.match(subject)
        out.append({
            "sha": sha[:8],
            "author_name": name,
            "author_email": email,
            "type": m.group("type") if m else "other",
            "scope": (m.group("scope") if m else None) or "",
            "breaking": bool(m and m.group("bang")),
            "subject": m.group("subject") if m else subject,
        })
    return out
