"""Real git repositories on disk for the git-source tests, made with the ``git`` CLI.

:class:`Repo` is a working repository with a bare clone beside it (what Tank fetches from,
over ``git+file://`` or a loopback ``git daemon``); ``commit`` writes files and pushes.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent",
}


def git(*args: str, cwd: Path) -> str:
    """Run git in ``cwd`` and return its output (raise on failure)."""
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **_ENV},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def skill_md(name: str, body: str = "Use it.\n") -> str:
    """A minimal SKILL.md for ``name``."""
    return f"---\nname: {name}\ndescription: The {name} skill.\n---\n{body}"


@dataclass
class Repo:
    """A working repository and its bare clone (``bare``, what Tank fetches)."""

    work: Path
    bare: Path

    @property
    def url(self) -> str:
        """``git+file://`` URL of the bare repository."""
        return f"git+file://{self.bare}"

    def commit(
        self,
        files: Mapping[str, str | bytes | None],
        *,
        tag: str | None = None,
        message: str = "change",
        symlinks: Mapping[str, str] | None = None,
    ) -> str:
        """Write ``files`` (None deletes), commit, push to the bare clone; the new commit."""
        for rel, content in files.items():
            path = self.work / rel
            if content is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content)
        for rel, target in (symlinks or {}).items():
            (self.work / rel).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(target, self.work / rel)
        git("add", "-A", cwd=self.work)
        git("commit", "-q", "--allow-empty", "-m", message, cwd=self.work)
        if tag is not None:
            git("tag", "-f", tag, cwd=self.work)
        git("push", "-q", "--force", "--tags", str(self.bare), "main", cwd=self.work)
        return git("rev-parse", "HEAD", cwd=self.work)


def make_repo(root: Path, name: str = "skills") -> Repo:
    """An empty repository ``root/name`` (branch main) with its bare clone."""
    work = root / f"{name}-work"
    bare = root / f"{name}.git"
    work.mkdir(parents=True)
    git("init", "-q", "-b", "main", cwd=work)
    git("init", "-q", "--bare", "-b", "main", str(bare), cwd=root)
    return Repo(work, bare)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def git_daemon(base: Path) -> Iterator[str]:
    """A real ``git daemon`` serving the repositories under ``base`` on loopback; yields
    its ``git://127.0.0.1:PORT`` base URL."""
    port = _free_port()
    process = subprocess.Popen(
        [
            "git", "daemon", "--reuseaddr", f"--base-path={base}", "--export-all",
            f"--port={port}", "--listen=127.0.0.1", str(base),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        else:
            raise RuntimeError("git daemon did not start")
        yield f"git://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
