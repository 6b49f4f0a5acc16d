"""Git used to carry data away: pushes to a hard-coded foreign repository, secrets staged for a
push, and reads of git's stored credentials.

Works on parsed commands (:class:`~.shell_parse.Command`), whatever language ran them: a
shell script, the shell code of a SKILL.md, ``subprocess.run(['git', ...])`` or
``execSync('git ...')``. Documentation shapes stay quiet: a push to ``origin`` (a remote the
user set up), and URLs with placeholders (``<user>``, ``$REPO``, ``OWNER/REPO``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from tank.scanner.analyzers.sensitive import SENSITIVE_PATH
from tank.scanner.analyzers.shell_parse import Command

__all__ = ["GitEvent", "git_events"]

_PLACEHOLDER = re.compile(
    r"[<>{}$%]|\.\.\.|\bexample\.(?:com|org|net)\b|(?:^|[/:])(?:your[-_]?\w*|you|me|user(?:name)?"
    r"|owner|org(?:anization)?|repo(?:sitory)?|project|name|account|team|namespace)(?:\.git)?"
    r"(?:$|/)",
    re.IGNORECASE,
)
_REMOTE = re.compile(r"^(?:[a-z][\w+.-]*://|[\w.-]+@[\w.-]+:)", re.IGNORECASE)
_COMPLETE = re.compile(
    r"^(?:(?!file:)[a-z][\w+.-]*://[^/\s]+/\S+|[\w.-]+@[\w.-]+:[^\s/]\S*)$", re.I
)
_HOME = re.compile(r"^(?:~|\$HOME|\$\{HOME\}|/home/[^/]+|/Users/[^/]+|/root)/?$|^/$")
_ENV_FILE = re.compile(r"(?:^|/)\.env(?:\.\w+)?$")
_GLOBAL_VALUE = frozenset({"-C", "-c", "--git-dir", "--work-tree", "--namespace"})
_CREDENTIAL_HELPERS = re.compile(
    r"^credential-(?:store|cache|osxkeychain|manager\S*|libsecret|wincred)$"
)


@dataclass(frozen=True, slots=True)
class GitEvent:
    """One thing worth reporting: ``kind`` is ``push``, ``secret_push`` or ``credential_read``."""

    kind: str
    line: int
    detail: str


@dataclass(slots=True)
class _State:
    remotes: dict[str, str] = field(default_factory=dict)
    staged_secret: tuple[int, str] | None = None
    pushes: list[tuple[int, str | None]] = field(default_factory=list)


def _foreign(url: str) -> bool:
    """A real repository somewhere else: a complete URL or scp-like address (host and path;
    a shell parser cuts ``host:<user>/<repo>`` at the ``<``) with no placeholder."""
    return bool(_COMPLETE.match(url)) and not _PLACEHOLDER.search(url)


def git_events(commands: Iterable[tuple[int, Command]]) -> list[GitEvent]:
    """The git exfiltration events in a file's commands, in order (``line`` is 1-based)."""
    state = _State()
    out: list[GitEvent] = []
    for line, command in commands:
        words = list(command.words)
        while words and (words[0] in ("sudo", "env", "command") or "=" in words[0]):
            words.pop(0)
        if not words or words[0].rsplit("/", 1)[-1] != "git":
            continue
        _one(line, words[1:], state, out)
    for line, url in state.pushes:
        if url is not None and _foreign(url):
            out.append(GitEvent("push", line, url))
    if state.staged_secret is not None and state.pushes:
        line, what = state.staged_secret
        out.append(GitEvent("secret_push", line, what))
    return sorted(out, key=lambda e: e.line)


def _one(line: int, words: list[str], state: _State, out: list[GitEvent]) -> None:
    work_tree = ""
    while words and words[0].startswith("-"):
        option = words.pop(0)
        key, _, value = option.partition("=")
        if key in _GLOBAL_VALUE and not value and words:
            value = words.pop(0)
        if key in ("-C", "--work-tree"):
            work_tree = value
    if not words:
        return
    sub, args = words[0], words[1:]
    plain = [a for a in args if not a.startswith("-")]
    if sub == "remote" and len(plain) >= 3 and plain[0] in ("add", "set-url"):
        state.remotes[plain[1]] = plain[2]
    elif sub == "push":
        target = plain[0] if plain else None
        url = target if target and _REMOTE.match(target) else state.remotes.get(target or "")
        state.pushes.append((line, url))
    elif sub == "add":
        forced = bool({"-f", "--force"} & set(args))
        for path in plain:
            if SENSITIVE_PATH.search(path) or (forced and _ENV_FILE.search(path)):
                state.staged_secret = state.staged_secret or (line, path)
        if _HOME.match(work_tree):
            state.staged_secret = state.staged_secret or (line, f"files of {work_tree}")
    elif (sub == "credential" and plain[:1] == ["fill"]) or (
        _CREDENTIAL_HELPERS.match(sub) and plain[:1] == ["get"]
    ):
        out.append(GitEvent("credential_read", line, f"git {sub} {' '.join(plain[:1])}"))
    elif sub == "config" and {"--get", "--get-all", "--get-regexp", "--list", "-l"} & set(args):
        keys = [p for p in plain if p.lower().startswith("credential")]
        if any(not k.lower().endswith(".helper") for k in keys):
            out.append(GitEvent("credential_read", line, f"git config {' '.join(keys)}"))
