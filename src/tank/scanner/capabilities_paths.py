"""Paths a skill's code touches outside its project, in the notation of permission globs.

:func:`outside_path` turns what a folder produced (``~/.cache/tool/\ufffc.json``,
``$XDG_CONFIG_HOME/app/config.toml``, ``%LOCALAPPDATA%\\App\\x.db``) into the path a skill must
declare (``~/.cache/tool/*.json``, ``~/.config/app/config.toml``,
``~/AppData/Local/App/x.db``): run-time parts become ``*``, home and per-OS folder variables
become ``~``. Paths inside the project, too vague to name (``~/*``) or that every program uses
(``/tmp``, ``/proc``, ``/dev/null``: ``data/knowledge/fs_common.yaml``) are None.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from tank.core.frontmatter import safe_load
from tank.core.permissions import path_covered, path_matches
from tank.scanner.analyzers.js_values import HOLE as JS_HOLE
from tank.scanner.analyzers.python_values import HOLE as PY_HOLE
from tank.scanner.knowledge import normalize_path

__all__ = ["MAX_USES", "FsUses", "covered", "creates_parent", "is_test_path", "outside_path"]


#: XDG base folders, with the default each stands for when unset.
_XDG = (
    (re.compile(r"\$\{XDG_CONFIG_HOME(?::-[^}]*)?\}|\$XDG_CONFIG_HOME\b"), "~/.config"),
    (re.compile(r"\$\{XDG_DATA_HOME(?::-[^}]*)?\}|\$XDG_DATA_HOME\b"), "~/.local/share"),
    (re.compile(r"\$\{XDG_CACHE_HOME(?::-[^}]*)?\}|\$XDG_CACHE_HOME\b"), "~/.cache"),
    (re.compile(r"\$\{XDG_STATE_HOME(?::-[^}]*)?\}|\$XDG_STATE_HOME\b"), "~/.local/state"),
    (re.compile(r"%APPDATA%|\$env:APPDATA\b", re.I), "~/AppData/Roaming"),
    (re.compile(r"%LOCALAPPDATA%|\$env:LOCALAPPDATA\b", re.I), "~/AppData/Local"),
)
#: Anything else only known at run time: a shell/PowerShell variable, ``$(…)``, ``%VAR%``,
#: a JS template hole, a folder's hole character.
_UNKNOWN = re.compile(
    r"\$\{[^}]*\}|\$\([^)]*\)|\$(?:env:)?\w+|%\w+%|`[^`]*`|<[\w-]+>|\{[^}]*\}|[\ufffc*?]+"
)
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:/")
_USER_HOME = re.compile(r"^/(?:(?:home|Users)/[^/*\ufffc$%{}]+|root)(?:/|$)", re.I)
_SEPARATORS = re.compile(r"^[-_*]*[-_][-_*]*(?=\.\w+$|$)")
_BAD = re.compile(r"[\[\]{}\\\s'\"`|;&<>()]")
MAX_PATH = 512
#: Paths recorded per kind at most (a generated file cannot grow the report).
MAX_USES = 64
Where = tuple[str, int]


@dataclass(slots=True)
class FsUses:
    """Paths read and written outside the project, each with its first location."""

    reads: dict[str, Where] = field(default_factory=dict)
    writes: dict[str, Where] = field(default_factory=dict)
    #: Of ``writes``, the folders only created (``mkdir -p``): a write granted inside one
    #: allows it.
    folders: set[str] = field(default_factory=set)

    def add(
        self, raw: str, where: Where, *, write: bool, folder: bool = False, project: bool = False
    ) -> None:
        """Record ``raw`` (a folded path) if it lies outside the project (or, with
        ``project``, is written inside it); ``folder``: the use only creates the folder
        (``mkdir``), which a grant for a path inside it allows."""
        path = outside_path(raw, write=write, project=project)
        target = self.writes if write else self.reads
        if path is not None and len(target) < MAX_USES:
            created = write and folder and (path in self.folders or path not in target)
            target.setdefault(path, where)
            if created:
                self.folders.add(path)
            else:
                self.folders.discard(path)


def outside_path(raw: str, *, write: bool = False, project: bool = False) -> str | None:
    """The glob a skill would declare for reading (or, with ``write``, writing) ``raw``, or
    None when that needs no declaration. ``project``: a relative path written is in the
    project (``./thumbnails/*``), which needs declaring too (Python's file calls, whose
    relative paths are read reliably)."""
    if not raw or len(raw) > MAX_PATH or "\n" in raw:
        return None
    text = raw.replace(JS_HOLE, PY_HOLE)
    for pattern, folder in _XDG:
        text = pattern.sub(folder, text)
    text = normalize_path(text)
    if _WINDOWS_DRIVE.match(text):
        text = text[2:]
    text = _USER_HOME.sub("~/", text)  # /home/kevin/x, /Users/me/x, /root/x: a home written out
    if text == "~" or text.startswith("~/"):
        root, rest = "~/", text[2:]
    elif text.startswith("/") and not text.startswith("//"):
        root, rest = "/", text[1:]
    elif project and write and not text.startswith(("~", "$", "%", PY_HOLE)) and ":" not in text:
        # a write relative to the working folder (the project, where `tank run` runs it):
        # only declared writable paths are writable there
        root, rest = "./", text.removeprefix("./")
    else:
        return None
    rest = _UNKNOWN.sub("*", rest).rstrip("/")
    if not rest or _BAD.search(rest):
        return None
    rest = posixpath.normpath(rest)
    # A name made only of separators (``-.json``) is one whose parts were unknown: a folder
    # that cannot follow a ``replace`` leaves the separators it would have put between them.
    segments = [_SEPARATORS.sub("*", re.sub(r"\*+", "*", s)) for s in rest.split("/")]
    segments = [re.sub(r"\*+", "*", s) for s in segments]
    if any(s in ("", ".", "..") for s in segments):
        return None
    known = [s for s in segments if s.replace("*", "")]
    if not known or segments[0] == "*":  # ~/* or /*/x: nothing to name
        return None
    path = root + "/".join(segments)
    return None if _common(path, write) else path


def covered(path: str, granted: tuple[str, ...]) -> bool:
    """Whether every path ``path`` (maybe with ``*``) names is allowed by a ``granted`` glob."""
    if path.startswith("/"):
        return False  # only ./ and ~/ can be granted
    if any(path_matches(g, path) or path_covered(path, g) for g in granted):
        return True
    # A run-time part (``*``) is given the benefit of the doubt when a declared glob could
    # match it: ``~/Library/LaunchAgents/*.plist`` written by code whose label comes from an
    # argument, with ``~/Library/LaunchAgents/com.acme.*.plist`` declared. A path no declared
    # glob could ever match is still undeclared.
    return "*" in path and any(
        _overlap(tuple(g.split("/")), tuple(path.split("/"))) for g in granted
    )


def creates_parent(folder: str, granted: tuple[str, ...]) -> bool:
    """Whether creating ``folder`` is on the way to a granted write: ``mkdir -p
    ~/Library/LaunchAgents`` with ``~/Library/LaunchAgents/com.acme.*`` declared. Creating an
    empty folder writes nothing else; deleting or writing it stays undeclared."""
    if covered(folder, granted):
        return True
    parts = tuple(folder.split("/"))
    for glob in granted:
        segments = tuple(glob.split("/"))
        if len(segments) > len(parts) and _overlap(segments[: len(parts)], parts):
            return True
    return False


def _overlap(glob: tuple[str, ...], path: tuple[str, ...]) -> bool:
    """Whether some path matches both the declared ``glob`` and the recorded ``path`` (whose
    segments hold ``*`` but never ``**``), segment by segment."""

    @cache
    def step(i: int, j: int) -> bool:
        if i == len(glob):
            return j == len(path)
        if glob[i] == "**":
            return step(i + 1, j) or (j < len(path) and step(i, j + 1))
        return j < len(path) and _segments_meet(glob[i], path[j]) and step(i + 1, j + 1)

    return len(glob) <= 64 and len(path) <= 64 and step(0, 0)


def _segments_meet(a: str, b: str) -> bool:
    """Whether one name matches both segment globs ``a`` and ``b`` (``*`` and ``?``)."""
    if len(a) > 256 or len(b) > 256:
        return False

    @cache
    def meet(i: int, j: int) -> bool:
        if i == len(a) and j == len(b):
            return True
        if i < len(a) and a[i] == "*":
            return meet(i + 1, j) or (j < len(b) and meet(i, j + 1))
        if j < len(b) and b[j] == "*":
            return meet(i, j + 1) or (i < len(a) and meet(i + 1, j))
        if i < len(a) and j < len(b) and (a[i] == b[j] or "?" in (a[i], b[j])):
            return meet(i + 1, j + 1)
        return False

    return meet(0, 0)


@lru_cache(maxsize=1)
def _common_lists() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ``read`` and ``write`` globs of ``data/knowledge/fs_common.yaml``."""
    data = resources.files("tank.scanner") / "data" / "knowledge" / "fs_common.yaml"
    loaded = safe_load(data.read_text("utf-8"))
    if not isinstance(loaded, dict):  # pragma: no cover - shipped data, checked by tests
        raise ValueError("data/knowledge/fs_common.yaml: expected a mapping at the top")
    return tuple(map(str, loaded["read"])), tuple(map(str, loaded["write"]))


def _as_home(path: str) -> str:
    """An absolute path in ``~/`` clothing, so the permission glob matcher can compare it."""
    return "~" + path if path.startswith("/") else path


def _common(path: str, write: bool) -> bool:
    """Whether ``path`` is a read (a write) every program makes (``/proc/x``, ``/dev/null``)."""
    globs = _common_lists()[1 if write else 0]
    return any(path_covered(_as_home(path), _as_home(g)) for g in globs)


def is_test_path(path: str) -> bool:
    """Whether ``path`` is a test file (its paths are fixtures, not what the skill does)."""
    parts = path.lower().split("/")
    name = parts[-1]
    return (
        any(p in ("tests", "test", "testing", "__tests__", "spec") for p in parts[:-1])
        or name.startswith("test_")
        or name.endswith(("_test.py", ".test.js", ".test.ts", ".spec.js", ".spec.ts"))
        or bool(re.search(r"\.(?:test|spec)\.[cm]?[jt]sx?$", name))
        or name == "conftest.py"
    )
