"""What changed between two versions' files: added, removed, changed, with unified diffs.

Input is two ``{path: (content, executable)}`` maps (what :func:`tank.core.unpack.files_of`
returns). Text files up to :data:`MAX_TEXT_SIZE` that decode as UTF-8 (and hold no NUL byte)
get a unified diff (``difflib``); other files say ``binary, sizes A → B``. Output is bounded:
each file's diff is cut at :data:`MAX_FILE_DIFF` characters and all diffs together at
:data:`MAX_TOTAL_DIFF`, so a hostile pair of versions cannot make an answer of any size.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "MAX_FILE_DIFF",
    "MAX_TEXT_SIZE",
    "MAX_TOTAL_DIFF",
    "FileChange",
    "FileDiff",
    "FileKind",
    "diff_files",
]

Files = Mapping[str, tuple[bytes, bool]]

#: Larger files are not diffed line by line (difflib is quadratic in the worst case).
MAX_TEXT_SIZE = 64 * 1024
#: The longest diff text kept for one file.
MAX_FILE_DIFF = 64 * 1024
#: The longest diff text kept over all files; later files get a note instead.
MAX_TOTAL_DIFF = 1024 * 1024


class FileKind(StrEnum):
    """How a file changed."""

    ADDED = "added"
    REMOVED = "removed"
    CONTENT = "content"
    MODE = "mode"
    CONTENT_AND_MODE = "content+mode"


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file that differs: its path, how, a unified diff (text files) and a note."""

    path: str
    kind: FileKind
    diff: str | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, str]:
        """JSON-ready: ``path`` and ``kind``, plus ``diff`` and ``note`` when present."""
        out = {"path": self.path, "kind": str(self.kind)}
        if self.diff is not None:
            out["diff"] = self.diff
        if self.note is not None:
            out["note"] = self.note
        return out


@dataclass(frozen=True, slots=True)
class FileDiff:
    """Files added, removed and changed (each list sorted by path)."""

    added: tuple[FileChange, ...]
    removed: tuple[FileChange, ...]
    changed: tuple[FileChange, ...]

    @property
    def is_empty(self) -> bool:
        """True when both versions hold the same files with the same content and modes."""
        return not (self.added or self.removed or self.changed)

    def as_dict(self) -> dict[str, list[dict[str, str]]]:
        """JSON-ready: ``{"added": [...], "removed": [...], "changed": [...]}``."""
        return {
            "added": [c.as_dict() for c in self.added],
            "removed": [c.as_dict() for c in self.removed],
            "changed": [c.as_dict() for c in self.changed],
        }


def _text(data: bytes) -> str | None:
    if len(data) > MAX_TEXT_SIZE or b"\x00" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _mode(executable: bool) -> str:
    return "0755" if executable else "0644"


class _Budget:
    """What is left of :data:`MAX_TOTAL_DIFF`."""

    def __init__(self) -> None:
        self.left = MAX_TOTAL_DIFF


def _unified(path: str, old: str, new: str, budget: _Budget) -> tuple[str | None, str | None]:
    """The unified diff text and a note (why it is missing or cut)."""
    if budget.left <= 0:
        return None, "diff left out: the answer's diff limit was reached"
    fromfile = f"a/{path}" if old or not new else "/dev/null"
    tofile = f"b/{path}" if new or not old else "/dev/null"
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), fromfile, tofile
    )
    cap = min(MAX_FILE_DIFF, budget.left)
    parts: list[str] = []
    size = 0
    note = None
    for raw in lines:
        line = raw if raw.endswith("\n") else raw + "\n\\ No newline at end of file\n"
        if size + len(line) > cap:
            note = f"diff cut at {cap} characters"
            break
        parts.append(line)
        size += len(line)
    budget.left -= size
    return "".join(parts), note


def _content_change(
    path: str, old: bytes, new: bytes, budget: _Budget
) -> tuple[str | None, str | None]:
    before, after = _text(old), _text(new)
    if before is None or after is None:
        kind = "binary" if len(old) <= MAX_TEXT_SIZE and len(new) <= MAX_TEXT_SIZE else "large"
        return None, f"{kind}, sizes {len(old)} → {len(new)} bytes"
    return _unified(path, before, after, budget)


def _one_sided(path: str, entry: tuple[bytes, bool], added: bool, budget: _Budget) -> FileChange:
    data, executable = entry
    kind = FileKind.ADDED if added else FileKind.REMOVED
    mode = "executable" if executable else None
    text = _text(data)
    if text is None:
        label = "binary" if len(data) <= MAX_TEXT_SIZE else "large"
        return FileChange(
            path, kind, note="; ".join(filter(None, (mode, f"{label}, {len(data)} bytes")))
        )
    diff, note = _unified(path, "" if added else text, text if added else "", budget)
    return FileChange(path, kind, diff, "; ".join(filter(None, (mode, note))) or None)


def diff_files(old: Files, new: Files) -> FileDiff:
    """Compare two versions' files (see the module docs); ``diff_files(a, a)`` is empty."""
    budget = _Budget()
    added = [_one_sided(p, new[p], True, budget) for p in sorted(set(new) - set(old))]
    removed = [_one_sided(p, old[p], False, budget) for p in sorted(set(old) - set(new))]
    changed: list[FileChange] = []
    for path in sorted(set(old) & set(new)):
        (before, was_exec), (after, is_exec) = old[path], new[path]
        content, mode = before != after, was_exec != is_exec
        if not content and not mode:
            continue
        mode_note = f"mode {_mode(was_exec)} → {_mode(is_exec)}" if mode else None
        if not content:
            changed.append(FileChange(path, FileKind.MODE, note=mode_note))
            continue
        diff, note = _content_change(path, before, after, budget)
        notes = "; ".join(n for n in (mode_note, note) if n) or None
        kind = FileKind.CONTENT_AND_MODE if mode else FileKind.CONTENT
        changed.append(FileChange(path, kind, diff, notes))
    return FileDiff(tuple(added), tuple(removed), tuple(changed))
