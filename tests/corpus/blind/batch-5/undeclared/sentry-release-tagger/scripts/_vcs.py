"""Version-control helpers: current SHA, repo name and commits since a ref."""
import subprocess


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout.strip()


def head_sha() -> str:
    return _git("rev-parse", "HEAD")


def repo_name() -> str:
    url = _git("config", "--get", "remote.origin.url")
    tail = url.rstrip("/").removesuffix(".git")
    return "/".join(tail.replace(":", "/").split("/")[-2:])


def commits_since(ref: str | None, limit: int = 100):
    rng = f"{ref}..HEAD" if ref else "HEAD"
    out = _git("log", rng, f"-{limit}", "--format=%H%x1f%s%x1f%an%x1f%ae%x1f%aI")
    commits = []
    for line in out.splitlines():
        sha, msg, name, email, ts = line.split("\x1f")
        commits.append({"id": sha, "message": msg, "author_name": name, "author_email": email, "timestamp": ts})
    return commits
