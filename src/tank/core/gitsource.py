"""Git sources of skills: ``github:owner/repo[/path][#ref]`` and ``git+https|ssh|file://…``.

Pure parsing and validation; fetching is :mod:`tank.client.gitfetch`. Everything here is
strict because these strings reach a ``git`` command line: a URL or ref that starts with
``-`` (option injection: ``--upload-pack=…``), a ref ``git check-ref-format`` would refuse, a
path that leaves the repository (``..``) or any transport other than https, ssh and file
(``ext::``, ``fd::``) is refused here, before anything runs.

Syntax (documented in docs/sources.md):

* ``github:owner/repo[/path/to/skill][#ref]`` → ``https://github.com/owner/repo.git``;
* ``git+https://host/repo.git[#ref][:path/to/skill]``, same for ``git+ssh://``,
  ``git+file://`` and ``git+git://``. ``:`` cannot appear in a ref, so ``#v1:skills/pdf``
  is unambiguous; ``#:skills/pdf`` is a path with the default branch.

``ref`` is a branch, a tag or a full 40-hex commit (no abbreviations: an abbreviated commit
is ambiguous as the repository grows). In skills.lock a git skill is ``resolved`` to
:func:`format_resolved`'s ``<url>#commit=<sha>&path=<path>&ref=<ref>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tank.core.errors import UsageError

__all__ = [
    "GIT_PREFIXES",
    "LOOPBACK_HOSTS",
    "GitMove",
    "GitSource",
    "Resolved",
    "check_path",
    "check_ref",
    "format_resolved",
    "is_commit",
    "is_git_resolved",
    "is_git_spec",
    "parse_git_source",
    "parse_resolved",
]

GITHUB = "github:"
#: ``git+git://`` (the read-only git daemon protocol) is unauthenticated and unencrypted:
#: accepted for self-hosted mirrors; the commit locked on first install still pins content.
GIT_PREFIXES = ("git+https://", "git+ssh://", "git+file://", "git+git://", "git+http://")
#: Plain http carries no integrity on the wire: read only from this machine (a registry on
#: loopback serving its plugin repositories in development and tests).
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
MAX_SPEC = 2048
MAX_REF = 255
MAX_PATH = 512

_COMMIT = re.compile(r"[0-9a-f]{40}")
_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,99})")
#: A path segment inside the repository: no spaces, quotes, ``:`` (pathspec magic) or ``&``.
_SEGMENT = re.compile(r"[A-Za-z0-9_@+][A-Za-z0-9._@+-]{0,127}")
#: A host (name, IPv4 or bracketed IPv6) with an optional port, and an optional ``user@``.
_AUTHORITY = re.compile(r"(?:[A-Za-z0-9._~-]+@)?(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?")
_URL_PATH = re.compile(r"/[A-Za-z0-9._~/@+-]*")


def is_git_spec(text: str) -> bool:
    """True for text that names a git source (it may still be invalid)."""
    return text.startswith((GITHUB, *GIT_PREFIXES))


def is_git_resolved(resolved: str) -> bool:
    """True for a lockfile ``resolved`` of a git skill."""
    return resolved.startswith(GIT_PREFIXES)


def is_commit(ref: str) -> bool:
    """True for a full (40 hex, lower case) commit id."""
    return _COMMIT.fullmatch(ref) is not None


@dataclass(frozen=True, slots=True)
class GitSource:
    """A parsed git source: the URL git fetches, the ref (None: the default branch) and the
    folder inside the repository ("" for its root)."""

    url: str  # what git is given: https://…, ssh://…, file://…
    ref: str | None
    path: str
    github: str | None = None  # ``owner/repo`` when written ``github:``

    @property
    def repo_name(self) -> str:
        """The repository's name (``skills`` for ``…/anthropics/skills.git``)."""
        return self.url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")

    @property
    def folder_name(self) -> str:
        """The skill's folder name: the last segment of the path, or the repository's."""
        return self.path.rsplit("/", 1)[-1] if self.path else self.repo_name

    def spec(self) -> str:
        """The text written in skills.json (parses back to this source)."""
        ref = f"#{self.ref}" if self.ref else ""
        if self.github is not None:
            path = f"/{self.path}" if self.path else ""
            return f"{GITHUB}{self.github}{path}{ref}"
        path = f":{self.path}" if self.path else ""
        fragment = f"#{self.ref or ''}{path}" if (self.ref or self.path) else ""
        return f"git+{self.url}{fragment}"

    def at(self, path: str) -> GitSource:
        """The same repository and ref, at ``path`` (checked)."""
        return GitSource(self.url, self.ref, check_path(path), self.github)


def _bad(text: str, why: str, hint: str) -> UsageError:
    shown = text if len(text) <= 200 else text[:200] + "…"
    return UsageError(
        f"{shown!r} is not a valid git source: {why}", code="bad_git_source", hint=hint
    )


_SYNTAX = (
    "write github:owner/repo[/path/to/skill][#ref], or git+https://host/repo.git[#ref][:path] "
    "(also git+ssh:// and git+file://)"
)


def parse_git_source(text: str) -> GitSource:
    """Parse ``text`` (see the module docstring); raise :class:`UsageError` when invalid."""
    if len(text) > MAX_SPEC:
        raise _bad(text, f"longer than {MAX_SPEC} characters", _SYNTAX)
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in text):
        raise _bad(text, "it contains spaces or control characters", _SYNTAX)
    if text.startswith(GITHUB):
        return _github(text)
    if not text.startswith(GIT_PREFIXES):
        raise _bad(
            text,
            "only github:, git+https://, git+ssh://, git+file://, git+git:// (and git+http:// "
            "on this machine) are read",
            _SYNTAX,
        )
    body, _, fragment = text[len("git+") :].partition("#")
    ref, _, path = fragment.partition(":")
    scheme, _, rest = body.partition("://")
    authority, slash, url_path = rest.partition("/")
    url_path = slash + url_path
    if scheme == "http" and authority.rsplit(":", 1)[0] not in LOOPBACK_HOSTS:
        raise _bad(
            text,
            "plain http is read only from this machine (127.0.0.1, localhost)",
            "use git+https://",
        )
    if scheme == "file":
        if authority not in ("", "localhost"):
            raise _bad(text, "a file:// URL names no host", "write git+file:///absolute/path")
    elif "@" in authority and ":" in authority.split("@", 1)[0]:
        raise _bad(
            text,
            "it holds a password",
            "never write credentials in skills.json; use a credential helper or an ssh key",
        )
    elif not _AUTHORITY.fullmatch(authority) or authority.startswith("-"):
        raise _bad(text, f"{authority!r} is not a host", _SYNTAX)
    if not _URL_PATH.fullmatch(url_path) or url_path.strip("/") == "":
        raise _bad(text, "the repository path has characters Tank does not accept", _SYNTAX)
    if any(part in (".", "..") for part in url_path.split("/")) and scheme != "file":
        raise _bad(text, "the repository path has '.' or '..' segments", _SYNTAX)
    return GitSource(body, check_ref(ref) if ref else None, check_path(path))


def _github(text: str) -> GitSource:
    body, _, ref = text[len(GITHUB) :].partition("#")
    parts = body.split("/")
    if len(parts) < 2 or not all(_NAME.fullmatch(p) for p in parts[:2]):
        raise _bad(text, "it does not start with owner/repo", _SYNTAX)
    owner, repo = parts[0], parts[1].removesuffix(".git")
    if not repo or repo in (".", ".."):
        raise _bad(text, "the repository name is empty", _SYNTAX)
    path = check_path("/".join(parts[2:]))
    url = f"https://github.com/{owner}/{repo}.git"
    return GitSource(url, check_ref(ref) if ref else None, path, f"{owner}/{repo}")


def check_ref(ref: str) -> str:
    """``ref`` if it is a full commit or a name ``git check-ref-format --allow-onelevel``
    accepts (and does not start with ``-``); else :class:`UsageError`."""
    hint = "use a branch, a tag or a full 40-hex commit id, e.g. #v1.2.0 or #main"
    if is_commit(ref):
        return ref
    why = _ref_problem(ref)
    if why is not None:
        raise UsageError(
            f"{ref[:100]!r} is not a valid git ref: {why}", code="bad_git_ref", hint=hint
        )
    return ref


def _ref_problem(ref: str) -> str | None:
    if not ref or len(ref) > MAX_REF:
        return f"it must have 1 to {MAX_REF} characters"
    if ref.startswith("-"):
        return "it starts with '-'"
    if any(ord(c) < 0x21 or ord(c) == 0x7F or c in "~^:?*[\\" for c in ref):
        return "it contains a space, a control character or one of ~ ^ : ? * [ \\"
    if ".." in ref or "@{" in ref or ref == "@" or "//" in ref:
        return "it contains '..', '@{' or '//', or is '@'"
    if ref.startswith("/") or ref.endswith(("/", ".", ".lock")):
        return "it starts with '/' or ends with '/', '.' or '.lock'"
    for part in ref.split("/"):
        if part.startswith(".") or part.endswith(".lock"):
            return "a component starts with '.' or ends with '.lock'"
    return None


def check_path(path: str) -> str:
    """A folder inside the repository, ``/``-separated, normalised (no trailing ``/``);
    refuse absolute paths, ``.``/``..`` segments and unusual characters."""
    path = path.strip("/") if path.endswith("/") else path
    if not path:
        return ""
    hint = "name a folder inside the repository, e.g. skills/pdf"
    if len(path) > MAX_PATH or path.startswith("/"):
        raise UsageError(
            f"{path[:100]!r} is not a path inside the repository", code="bad_git_path", hint=hint
        )
    for part in path.split("/"):
        if part in ("", ".", "..") or not _SEGMENT.fullmatch(part) or part == ".git":
            raise UsageError(
                f"{path[:100]!r} is not a path inside the repository (segment {part[:60]!r})",
                code="bad_git_path",
                hint=hint + "; letters, digits, '.', '_', '-', '@' and '+' only, no '..'",
            )
    return path


@dataclass(frozen=True, slots=True)
class Resolved:
    """What skills.lock records for a git skill: the source, the commit it resolved to."""

    url: str
    commit: str
    path: str
    ref: str | None

    def same_source(self, source: GitSource) -> bool:
        """True when ``source`` (from skills.json) is what this entry was locked from."""
        return (self.url, self.path, self.ref) == (source.url, source.path, source.ref)


def format_resolved(source: GitSource, commit: str) -> str:
    """``git+<url>#commit=<sha>&path=<path>&ref=<ref>`` (path and ref may be empty)."""
    if not is_commit(commit):
        raise ValueError(f"not a full commit: {commit!r}")  # a caller bug
    return f"git+{source.url}#commit={commit}&path={source.path}&ref={source.ref or ''}"


def parse_resolved(text: str) -> Resolved:
    """Read :func:`format_resolved`'s output back, validating every part (skills.lock is
    outside input: an edited one must not smuggle an option or a path into git)."""
    hint = "someone edited skills.lock; delete its entry and run `tank install` to lock it again"
    body, sep, fragment = text.partition("#")
    commit, path, ref = "", "", ""
    ok = bool(sep) and fragment.startswith("commit=")
    if ok:
        head, _, ref = fragment.partition("&ref=")
        commit, _, path = head[len("commit=") :].partition("&path=")
    try:
        source = parse_git_source(body) if ok else None
        if source is None or source.ref or source.path or not is_commit(commit):
            raise UsageError("malformed", code="bad_git_resolved")
        return Resolved(source.url, commit, check_path(path), check_ref(ref) if ref else None)
    except UsageError as bad:
        raise UsageError(
            f"skills.lock resolves a git skill to {text[:200]!r}, which Tank cannot read "
            f"({bad.message})",
            code="bad_git_resolved",
            hint=hint,
        ) from None


@dataclass(frozen=True, slots=True)
class GitMove:
    """A git skill ``tank update`` moved from its locked commit to the one its ref names
    now: what changed, for the report (``tag_moved``: the ref is a tag, which should never
    move; a rewritten release or a compromised repository)."""

    name: str
    spec: str
    ref: str | None
    old: str
    new: str
    tag_moved: bool
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The ``--json`` view."""
        return {
            "name": self.name,
            "source": self.spec,
            "ref": self.ref,
            "from": self.old,
            "to": self.new,
            "tag_moved": self.tag_moved,
            "files": {
                "added": list(self.added),
                "removed": list(self.removed),
                "changed": list(self.changed),
            },
        }
