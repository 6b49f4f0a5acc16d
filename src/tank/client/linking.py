"""Putting files from the cache into a project: hard link, reflink, or copy.

Hard links cost one directory entry per file and no data, like uv and pnpm; they are
impossible across file systems (``EXDEV``) and on some (FAT, some network shares), where a
reflink (copy-on-write clone, ``FICLONE``) is tried, then a plain copy. The mode that worked
is remembered for the rest of the install, so a failing mode costs one attempt, not one per
file. ``TANK_LINK_MODE=copy|hardlink|reflink`` forces one.

A copy or reflink keeps the modification time of its source, so every placed file carries
the same stamp (size, mtime, exec bit) whichever mode placed it: the drift check of a later
install compares stamps (:mod:`tank.client.drift`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

FICLONE = 0x40049409  # linux/fs.h: _IOW(0x94, 9, int)
MODES = ("hardlink", "reflink", "copy")
_FALLBACK_ERRNOS = {errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP}


class Linker:
    """Materialise files from the cache, falling back hardlink → reflink → copy."""

    def __init__(self, mode: str | None = None) -> None:
        forced = mode or os.environ.get("TANK_LINK_MODE") or None
        if forced is not None and forced not in MODES:
            from tank.core.errors import UsageError

            raise UsageError(
                f"unknown link mode {forced!r}", code="link_mode", hint=f"use one of {MODES}"
            )
        self._modes = [forced] if forced else list(MODES)
        self.used: set[str] = set()

    def place(self, source: str | Path, target: str | Path) -> None:
        """Make ``target`` (which must not exist) have ``source``'s content and mode."""
        while True:
            mode = self._modes[0]
            try:
                _PLACERS[mode](source, target)
            except OSError as error:
                if error.errno in _FALLBACK_ERRNOS and len(self._modes) > 1:
                    self._modes.pop(0)
                    continue
                raise
            self.used.add(mode)
            return

    def place_tree(self, source: Path, target: Path, files: Iterable[str]) -> None:
        """Recreate the tree ``source`` under ``target`` (new) holding exactly ``files``."""
        # Plain strings, not Path objects: this loop runs once per installed file.
        src, dst = str(source), str(target)
        os.mkdir(dst, 0o755)
        made = {""}
        for rel in files:
            folder = rel.rpartition("/")[0]
            if folder not in made:
                os.makedirs(os.path.join(dst, folder), 0o755, exist_ok=True)
                made.add(folder)
            self.place(os.path.join(src, rel), os.path.join(dst, rel))


def _hardlink(source: str | Path, target: str | Path) -> None:
    os.link(source, target, follow_symlinks=False)


def _reflink(source: str | Path, target: str | Path) -> None:
    import fcntl

    with open(source, "rb") as src:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            fcntl.ioctl(fd, FICLONE, src.fileno())
        except OSError:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(target)
            raise
        os.close(fd)
    _same_mode_and_time(source, target)


def _copy(source: str | Path, target: str | Path) -> None:
    shutil.copyfile(source, target)
    _same_mode_and_time(source, target)


def _same_mode_and_time(source: str | Path, target: str | Path) -> None:
    st = os.stat(source)
    os.chmod(target, st.st_mode & 0o7777)
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))


_PLACERS = {"hardlink": _hardlink, "reflink": _reflink, "copy": _copy}
