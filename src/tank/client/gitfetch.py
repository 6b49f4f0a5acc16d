"""Fetching git sources: bare mirrors in the user cache, refs resolved to commits, trees read
from git objects (never from a checkout).

**Why the ``git`` CLI rather than dulwich or pygit2.** Every machine that has skills in git
has git; it speaks every transport users configure (ssh agents and keys, https credential
helpers, proxies, ``insteadOf`` rewrites) exactly as their own ``git clone`` does, and its
pack handling is fast C. dulwich would be a new dependency with thinner ssh/https support;
pygit2 needs libgit2 binaries. The price is that the CLI is powerful, so it is run hardened:

* ``protocol.allow=never`` with only https, ssh, file and git allowed (also through
  ``GIT_ALLOW_PROTOCOL``): no ``ext::`` command transport, no ``fd::``;
* ``core.hooksPath=/dev/null``, no submodules (``--no-recurse-submodules``), no checkout at
  all: files are read from the object database, so no symlink, filter, attribute or hook in
  the repository is ever followed or run;
* ``GIT_TERMINAL_PROMPT=0`` (a missing credential fails instead of hanging), ``--`` before
  every positional a user wrote (which :mod:`tank.core.gitsource` already refused to start
  with ``-``), literal pathspecs, and a timeout on every call.

Mirrors live under ``<cache>/git/<sha256 of the URL>.git``: a warm install whose locked
commit is already there runs no network command at all.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from tank.client.errors import NetworkError
from tank.core.errors import IntegrityError, UsageError
from tank.core.gitsource import LOOPBACK_HOSTS, GitSource, is_commit
from tank.core.limits import DEFAULT_LIMITS, ArchiveLimits

__all__ = ["GitError", "GitRepo", "GitTree", "mirror_for", "one_fetch_per_repository"]

#: Seconds for a network command (clone, fetch) and for a local one.
NETWORK_TIMEOUT_S = 300.0
LOCAL_TIMEOUT_S = 60.0
#: Most paths listed when looking for skills in a whole repository.
MAX_LISTED = 100_000
#: Mirrors fetched inside :func:`one_fetch_per_repository` (None outside: always fetch).
_FETCHED: ContextVar[set[Path] | None] = ContextVar("tank_git_fetched", default=None)


@contextmanager
def one_fetch_per_repository() -> Iterator[None]:
    """Within the block, each repository is fetched at most once: one command (which reads
    a source when adding it, then again in the pipeline) asks each server once."""
    token = _FETCHED.set(set())
    try:
        yield
    finally:
        _FETCHED.reset(token)


_HARDENING = (
    "-c", "protocol.allow=never",
    "-c", "protocol.https.allow=always",
    "-c", "protocol.ssh.allow=always",
    "-c", "protocol.file.allow=always",
    "-c", "protocol.git.allow=always",
    "-c", "core.hooksPath=/dev/null",
    "-c", "submodule.recurse=false",
    "-c", "fetch.recurseSubmodules=false",
    "-c", "core.fsmonitor=false",
    "-c", "transfer.fsckObjects=true",
)  # fmt: skip


_LOOPBACK_HTTP = tuple(f"http://{host}{end}" for host in LOOPBACK_HOSTS for end in ":/")
_LOOPBACK_ALLOW = ("-c", "protocol.http.allow=always", "-c", "http.followRedirects=false")


class GitError(NetworkError):
    """A git command failed (unreachable repository, unknown ref, timeout)."""

    default_code = "git_failed"


#: The user's git settings kept (how they reach servers); every other GIT_* variable is
#: dropped, so none can point git at another repository, config or program.
_KEPT = frozenset(
    {"GIT_SSH", "GIT_SSH_COMMAND", "GIT_SSH_VARIANT", "GIT_SSL_CAINFO", "GIT_SSL_CAPATH",
     "GIT_ASKPASS", "GIT_HTTP_USER_AGENT"}
)  # fmt: skip


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") or k in _KEPT}
    env.update(
        GIT_TERMINAL_PROMPT="0",
        GIT_ALLOW_PROTOCOL="https:ssh:file:git",
        GIT_LITERAL_PATHSPECS="1",
        GIT_NO_REPLACE_OBJECTS="1",
        LC_ALL="C",
    )
    return env


def _run(
    args: list[str],
    *,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    network: bool = False,
    what: str,
) -> bytes:
    timeout = NETWORK_TIMEOUT_S if network else LOCAL_TIMEOUT_S
    git = shutil.which("git")
    if git is None:
        raise UsageError(
            "git sources need the git command, which is not installed",
            code="git_missing",
            hint="install git (https://git-scm.com), then run the command again",
        )
    loopback = any(a.startswith(_LOOPBACK_HTTP) for a in args)
    env = _env()
    if loopback:  # the parser admits plain http only to this machine (core.gitsource)
        env["GIT_ALLOW_PROTOCOL"] += ":http"
    try:
        done = subprocess.run(
            [git, *_HARDENING, *(_LOOPBACK_ALLOW if loopback else ()), *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            env=env,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise GitError(
            f"{what}: git did not finish within {timeout:g}s",
            code="git_timeout",
            hint="check the repository is reachable and not huge",
        ) from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip()[-2000:]
        raise GitError(
            f"{what}: git failed ({detail.splitlines()[-1] if detail else done.returncode})",
            detail=detail or None,
            hint="check the URL, that you can `git ls-remote` it, and the ref's spelling",
        )
    return done.stdout


def mirror_for(cache: Path, url: str) -> Path:
    """The bare mirror of ``url`` in the cache (it may not exist yet)."""
    return cache / "git" / f"{hashlib.sha256(url.encode()).hexdigest()[:40]}.git"


@dataclass(frozen=True, slots=True)
class GitTree:
    """The files of one folder at one commit: ``path -> (bytes, executable)``."""

    commit: str
    files: dict[str, tuple[bytes, bool]]


class GitRepo:
    """One repository's bare mirror: fetched on demand, read from its objects."""

    def __init__(self, cache: Path, url: str) -> None:
        self.url = url
        self.path = mirror_for(cache, url)

    def fetch(self) -> None:
        """Clone the mirror, or bring its branches and tags up to date (once per object)."""
        fetched = _FETCHED.get()
        if fetched is not None and self.path in fetched:
            return
        if not (self.path / "HEAD").is_file():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=".clone-", dir=self.path.parent))
            try:
                _run(
                    [
                        "clone",
                        "--bare",
                        "--quiet",
                        "--no-recurse-submodules",
                        "--",
                        self.url,
                        str(tmp / "m"),
                    ],
                    network=True,
                    what=f"cloning {self.url}",
                )
                try:
                    (tmp / "m").rename(self.path)
                except OSError:  # another process made it first: use theirs
                    if not (self.path / "HEAD").is_file():
                        raise
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
        else:
            _run(
                [
                    "fetch", "--quiet", "--prune", "--force", "--no-recurse-submodules", "--",
                    self.url, "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*",
                ],
                cwd=self.path,
                network=True,
                what=f"fetching {self.url}",
            )  # fmt: skip
        if fetched is not None:
            fetched.add(self.path)

    def _fetch_commit(self, commit: str) -> None:
        """Ask for ``commit`` itself: one on no branch or tag (a pull request's, say) is
        served by servers that allow it (GitHub does); others refuse, and that is fine."""
        try:
            _run(
                ["fetch", "--quiet", "--no-recurse-submodules", "--", self.url, commit],
                cwd=self.path,
                network=True,
                what=f"fetching {commit[:12]} from {self.url}",
            )
        except GitError:
            return

    def has_commit(self, commit: str) -> bool:
        """True when the mirror holds ``commit`` (a full id) as a commit."""
        if not is_commit(commit) or not (self.path / "HEAD").is_file():
            return False
        try:
            kind = _run(["cat-file", "-t", commit], cwd=self.path, what="reading the mirror")
        except GitError:
            return False
        return kind.strip() == b"commit"

    def resolve(self, ref: str | None) -> str:
        """The full commit ``ref`` names now (None: the default branch), fetching first; a
        full commit id is only checked to exist."""
        if ref is not None and is_commit(ref):
            if not self.has_commit(ref):
                self.fetch()
            if not self.has_commit(ref):
                self._fetch_commit(ref)
            if not self.has_commit(ref):
                raise GitError(
                    f"{self.url} has no commit {ref}",
                    code="git_no_commit",
                    hint="check the id (a full 40-hex commit on a branch or tag of the repository)",
                )
            return ref
        self.fetch()
        names = ["HEAD"] if ref is None else [f"refs/tags/{ref}", f"refs/heads/{ref}"]
        for name in names:
            try:
                out = _run(
                    ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}"],
                    cwd=self.path,
                    what=f"resolving {name}",
                )
            except GitError:
                continue
            commit = out.decode().strip()
            if is_commit(commit):
                return commit
        raise GitError(
            f"{self.url} has no branch or tag {ref!r}"
            if ref
            else f"{self.url} has no default branch",
            code="git_no_ref",
            hint="`git ls-remote URL` lists its branches and tags",
        )

    def is_tag(self, ref: str | None) -> bool:
        """True when ``ref`` names a tag in the mirror (a branch or commit: False)."""
        if ref is None or is_commit(ref):
            return False
        try:
            _run(
                ["rev-parse", "--verify", "--quiet", "--end-of-options", f"refs/tags/{ref}"],
                cwd=self.path,
                what=f"reading tag {ref}",
            )
        except GitError:
            return False
        return True

    def skill_folders(self, commit: str) -> list[str]:
        """Every folder holding a SKILL.md at ``commit`` (``""`` for the root), sorted."""
        out = _run(
            ["ls-tree", "-r", "-z", "--name-only", "--end-of-options", commit],
            cwd=self.path,
            what="listing the repository",
        )
        paths = out.split(b"\0")
        if len(paths) > MAX_LISTED:
            raise UsageError(
                f"{self.url} holds more than {MAX_LISTED} files", code="git_too_big",
                hint="name the skill's folder: github:owner/repo/path/to/skill",
            )  # fmt: skip
        found = []
        for raw in paths:
            name = raw.decode("utf-8", "replace")
            if name == "SKILL.md" or name.endswith("/SKILL.md"):
                found.append(name[: -len("SKILL.md")].rstrip("/"))
        return sorted(found)

    def read_tree(
        self, source: GitSource, commit: str, limits: ArchiveLimits = DEFAULT_LIMITS
    ) -> GitTree:
        """The files under ``source.path`` at ``commit``; refuses symlinks and submodules."""
        treeish = f"{commit}:{source.path}" if source.path else f"{commit}^{{tree}}"
        where = f"{source.spec()} at {commit[:12]}"
        try:
            kind = _run(["cat-file", "-t", treeish], cwd=self.path, what=where).strip()
        except GitError:
            kind = b""
        if kind != b"tree":
            raise UsageError(
                f"{where}: there is no folder {source.path!r}",
                code="git_no_path",
                hint="`tank install --all` on the repository lists the skills it holds",
            )
        listing = _run(
            ["ls-tree", "-r", "-z", "-l", "--full-tree", "--end-of-options", treeish],
            cwd=self.path,
            what=where,
        )
        entries: list[tuple[str, str, bool]] = []  # path, object id, executable
        total = 0
        for record in filter(None, listing.split(b"\0")):
            meta, _, raw_path = record.partition(b"\t")
            mode, kind_text, oid, size_text = meta.decode().split()
            path = raw_path.decode("utf-8", "replace")
            if mode == "120000":
                raise IntegrityError(
                    f"{where}: {path} is a symbolic link",
                    code="git_symlink",
                    hint="a skill's files must be regular files: Tank never follows links "
                    "(ask the author to replace it with the file it points to)",
                )
            if kind_text != "blob":
                raise IntegrityError(
                    f"{where}: {path} is a submodule ({kind_text})",
                    code="git_submodule",
                    hint="Tank does not fetch submodules; a skill must hold its own files",
                )
            size = int(size_text)
            total += size
            if size > limits.max_file_size or total > limits.max_total_size:
                raise UsageError(
                    f"{where}: the skill is larger than Tank's limits ({path})",
                    code="git_too_big",
                    hint=f"a skill folder holds at most {limits.max_total_size // 2**20} MiB, "
                    f"{limits.max_file_size // 2**20} MiB a file",
                )
            entries.append((path, oid, mode == "100755"))
            if len(entries) > limits.max_files:
                raise UsageError(
                    f"{where}: more than {limits.max_files} files", code="git_too_big",
                    hint="name the skill's own folder, not a folder of many skills",
                )  # fmt: skip
        blobs = self._blobs([oid for _, oid, _ in entries], where)
        files = {path: (blobs[oid], executable) for path, oid, executable in entries}
        return GitTree(commit, files)

    def _blobs(self, oids: list[str], where: str) -> dict[str, bytes]:
        if not oids:
            return {}
        unique = list(dict.fromkeys(oids))
        out = _run(
            ["cat-file", "--batch"],
            cwd=self.path,
            stdin="".join(f"{oid}\n" for oid in unique).encode(),
            what=where,
        )
        blobs: dict[str, bytes] = {}
        at = 0
        for oid in unique:
            end = out.index(b"\n", at)
            got, kind, size_text = out[at:end].decode().split()
            size = int(size_text)
            if got != oid or kind != "blob":
                raise IntegrityError(f"{where}: git returned {got} {kind} for {oid}")
            blobs[oid] = out[end + 1 : end + 1 + size]
            at = end + 1 + size + 1
        return blobs


def remove_mirror(repo: GitRepo) -> None:
    """Delete ``repo``'s mirror (tests, and a cache clean)."""
    shutil.rmtree(repo.path, ignore_errors=True)
