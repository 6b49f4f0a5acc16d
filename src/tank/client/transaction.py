"""An all-or-nothing change to a project's skill folders, links and files, with a journal.

Everything new is built first in a staging folder next to the skills (same file system, so
renames are atomic). The switch is then a short series of renames, each recorded in
``.agents/.tank-journal.json`` before the first one happens: old folders move to a trash
folder, staged ones move into place, links are made, skills.json / skills.lock / the state
file are replaced. An exception (Ctrl-C included) undoes the recorded steps in reverse; a
``kill -9`` in the middle leaves the journal, and the next Tank command that changes the
project rolls it back first (read-only commands warn). Either the whole install happened,
or none of it did.

Each file write records the digest of the bytes it is about to write. Recovery restores a
file only while it still holds exactly those bytes: a file edited since the interrupted
install (the user fixing skills.json before running Tank again) is kept, and said so.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from tank.client.fsutil import write_atomic
from tank.client.state import digest

JOURNAL = ".tank-journal.json"


@dataclass
class Recovery:
    """What rolling back an interrupted install did (the CLI reports it)."""

    journal: Path
    restored: list[Path] = field(default_factory=list)  # files put back as they were
    kept: list[Path] = field(default_factory=list)  # files edited since: left alone
    undone: int = 0  # folders and links moved back or removed


@dataclass
class Transaction:
    """The steps of one switch; undo them in reverse on failure."""

    base: Path  # the folder holding the journal, staging and trash (``.agents``)
    token: str = field(default_factory=lambda: f"{os.getpid()}-{os.urandom(4).hex()}")
    steps: list[dict[str, Any]] = field(default_factory=list)
    _log: IO[bytes] | None = field(default=None, repr=False)

    @property
    def journal(self) -> Path:
        """The journal file."""
        return self.base / JOURNAL

    @property
    def staging(self) -> Path:
        """Where new folders are built before they move into place."""
        return self.base / f".tank-staging-{self.token}"

    @property
    def trash(self) -> Path:
        """Where replaced folders and links wait until the switch is committed."""
        return self.base / f".tank-trash-{self.token}"

    # ------------------------------------------------------------------ recorded steps

    def _record(self, step: dict[str, Any]) -> None:
        """Append the step to the journal (one JSON line, flushed) before it is carried out.

        Append-only: a kill mid-write leaves at most a torn last line, which recovery skips
        (that step had not started). Flushing to the OS is enough to survive the process
        being killed; the new skills.json and skills.lock are fsynced when written.
        """
        self.steps.append(step)
        if self._log is None:
            fd = os.open(self.journal, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            self._log = os.fdopen(fd, "ab")
        self._log.write(json.dumps(step).encode() + b"\n")
        self._log.flush()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def retire(self, path: Path) -> None:
        """Move ``path`` (folder, file or link) into the trash; undo moves it back."""
        self.trash.mkdir(parents=True, exist_ok=True)
        parked = self.trash / f"{len(self.steps)}-{path.name}"
        self._record({"op": "retire", "path": str(path), "parked": str(parked)})
        path.rename(parked)

    def place(self, staged: Path, path: Path) -> None:
        """Move a staged folder to ``path`` (which must not exist); undo removes it."""
        self._parents(path)
        self._record({"op": "place", "path": str(path)})
        staged.rename(path)

    def link(self, path: Path, target: str) -> None:
        """Create the symlink ``path -> target``; undo removes it."""
        self._parents(path)
        self._record({"op": "create", "path": str(path)})
        path.symlink_to(target, target_is_directory=True)

    def _parents(self, path: Path) -> None:
        """Create ``path``'s missing parent folders, each recorded (undo removes it if empty)."""
        missing = []
        parent = path.parent
        while not parent.is_dir():
            missing.append(parent)
            parent = parent.parent
        for folder in reversed(missing):
            self._record({"op": "mkdir", "path": str(folder)})
            folder.mkdir()

    def write(self, path: Path, data: bytes) -> None:
        """Replace a file's bytes (fsynced); undo restores the old bytes (or deletes it)."""
        try:
            old: str | None = path.read_bytes().decode("latin-1")
        except FileNotFoundError:
            old = None
        self._record({"op": "write", "path": str(path), "old": old, "new": digest(data)})
        write_atomic(path, data, sync=True)

    def delete(self, path: Path) -> None:
        """Delete a file, its bytes kept in the journal; undo writes it back."""
        try:
            old = path.read_bytes().decode("latin-1")
        except FileNotFoundError:
            return
        self._record({"op": "write", "path": str(path), "old": old, "new": None})
        path.unlink()

    # ------------------------------------------------------------------ outcomes

    def commit(self) -> None:
        """The switch is done: drop the journal, then the trash and the staging folder."""
        self._close_log()
        with contextlib.suppress(FileNotFoundError):
            self.journal.unlink()
        self.steps.clear()
        shutil.rmtree(self.trash, ignore_errors=True)
        shutil.rmtree(self.staging, ignore_errors=True)

    def rollback(self) -> None:
        """Undo every recorded step, newest first; then clean up."""
        self._close_log()
        undo(self.steps)
        self.steps.clear()
        with contextlib.suppress(FileNotFoundError):
            self.journal.unlink()
        shutil.rmtree(self.trash, ignore_errors=True)
        shutil.rmtree(self.staging, ignore_errors=True)


def undo(steps: list[dict[str, Any]], report: Recovery | None = None) -> None:
    """Reverse ``steps`` (as recorded in a journal), noting in ``report`` what changed.

    Each undo checks what really happened: a step may have been recorded and then
    interrupted before it took effect. A written file is restored only while it still holds
    the bytes the step wrote; one changed since is someone else's edit and is kept.
    """
    for step in reversed(steps):
        path = Path(step["path"])
        op = step["op"]
        if op in ("place", "create"):
            if os.path.lexists(path):
                _remove(path)
                _count(report)
        elif op == "mkdir":
            with contextlib.suppress(OSError):
                path.rmdir()  # only when empty: never takes anything else with it
        elif op == "retire":
            parked = Path(step["parked"])
            if os.path.lexists(parked):
                _remove(path)
                parked.rename(path)
                _count(report)
        elif op == "write":
            _undo_write(path, step, report)


def _count(report: Recovery | None) -> None:
    if report is not None:
        report.undone += 1


def _undo_write(path: Path, step: dict[str, Any], report: Recovery | None) -> None:
    """Put back a file's old bytes, unless it holds neither the old nor the written ones."""
    old: str | None = step["old"]
    old_bytes = None if old is None else old.encode("latin-1")
    try:
        now: bytes | None = path.read_bytes()
    except FileNotFoundError:
        now = None
    if now == old_bytes:
        return  # the step never took effect (or was undone already)
    if "new" in step and digest(now) != step["new"]:
        if report is not None and path not in report.kept:
            report.kept.append(path)
        return  # edited since the interrupted install wrote it: the edit wins
    if old_bytes is None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    else:
        write_atomic(path, old_bytes, sync=True)
    if report is not None:
        report.restored.append(path)


def pending(base: Path) -> Path | None:
    """The journal of an interrupted install under ``base`` (``.agents``), if there is one."""
    journal = base / JOURNAL
    return journal if os.path.lexists(journal) else None


def recover(base: Path) -> Recovery | None:
    """Roll back an install that was killed mid-switch; ``None`` when there was none."""
    journal = base / JOURNAL
    try:
        lines = journal.read_bytes().splitlines()
    except FileNotFoundError:
        _sweep(base)
        return None
    steps = []
    for line in lines:
        try:
            steps.append(json.loads(line))
        except ValueError:
            break  # a torn last line: killed while recording a step it never started
    report = Recovery(journal)
    undo(steps, report)
    journal.unlink()
    _sweep(base)
    return report


def _sweep(base: Path) -> None:
    """Delete staging and trash folders left by killed installs (after rollback)."""
    with contextlib.suppress(OSError):
        for entry in base.iterdir():
            if entry.name.startswith((".tank-staging-", ".tank-trash-")):
                shutil.rmtree(entry, ignore_errors=True)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)
