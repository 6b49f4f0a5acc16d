"""Small file-system helpers shared by the client: atomic writes."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

TEMP_MARK = ".tank-tmp-"


def sweep_temp_files(folder: Path) -> None:
    """Delete the temporary files of :func:`write_atomic` calls killed mid-write."""
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            if TEMP_MARK in entry.name and entry.is_file():
                entry.unlink()


def write_atomic(path: Path, data: bytes, *, mode: int = 0o644, sync: bool = False) -> None:
    """Replace ``path`` with ``data``: a reader (or a crash) sees the old bytes or the new.

    ``mode`` is set explicitly (mkstemp creates 0600); ``sync`` fsyncs before the rename, for
    files a user would lose work in (skills.json, skills.lock).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # A recognisable name, so a process killed mid-write leaves a file recovery can sweep.
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}{TEMP_MARK}", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            if hasattr(os, "fchmod"):
                os.fchmod(out.fileno(), mode)
            if sync:
                out.flush()
                os.fsync(out.fileno())
        Path(temp).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temp).unlink()
        raise
