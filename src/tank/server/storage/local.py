"""A content-addressed blob store in a local folder (the embedded default)."""

from __future__ import annotations

import errno
import os
import re
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from tank.server.faults import storage_full
from tank.server.storage import blob_key

_KEY = re.compile(r"sha512/[0-9a-f]{128}")


def _is_full(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)


class LocalBlobStore:
    """Blobs as files ``<root>/sha512/ab/cd/<hex>``, written via temp file + rename."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "tmp").mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        # Keys come from our own database, but check anyway: a key is never a path.
        if not _KEY.fullmatch(key):
            raise KeyError(key)
        digest = key.split("/", 1)[1]
        return self.root / "sha512" / digest[:2] / digest[2:4] / digest

    def put(self, data: bytes) -> str:
        """Store ``data`` durably and atomically; return its key."""
        key = blob_key(data)
        path = self._path(key)
        if path.exists():
            # Refresh the write time: garbage collection spares blobs younger than its grace
            # period, and this blob is about to be referenced again by a publish in flight.
            os.utime(path)
            return key
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.root / "tmp")
        except OSError as error:
            if _is_full(error):  # a 507 naming the blob storage, not a 500
                raise storage_full("blob storage", str(self.root)) from error
            raise
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            Path(tmp).replace(path)
        except BaseException as error:
            Path(tmp).unlink(missing_ok=True)
            if _is_full(error):
                raise storage_full("blob storage", str(self.root)) from error
            raise
        return key

    def sweep_partial_writes(self, older_than: datetime, *, dry_run: bool = False) -> list[str]:
        """Remove files in ``tmp/`` last written before ``older_than`` and name them
        (``tmp/<file>``): partial writes of a process killed mid-put. A put in flight keeps
        writing, so its file stays younger than any sensible grace period."""
        swept = []
        for path in sorted((self.root / "tmp").iterdir()):
            try:
                stat = path.lstat()
            except FileNotFoundError:
                continue  # renamed into place meanwhile
            if not path.is_file() or datetime.fromtimestamp(stat.st_mtime, UTC) >= older_than:
                continue
            if not dry_run:
                path.unlink(missing_ok=True)
            swept.append(f"tmp/{path.name}")
        return swept

    def get(self, key: str) -> bytes:
        """The bytes under ``key``."""
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise KeyError(key) from None

    def path_of(self, key: str) -> Path:
        """The file holding ``key`` (lets the server stream it with sendfile)."""
        path = self._path(key)
        if not path.is_file():
            raise KeyError(key)
        return path

    def exists(self, key: str) -> bool:
        """True when ``key`` is stored."""
        try:
            return self._path(key).is_file()
        except KeyError:
            return False

    def delete(self, key: str) -> None:
        """Remove ``key``."""
        self._path(key).unlink(missing_ok=True)

    def keys(self) -> Iterator[tuple[str, datetime]]:
        """Every stored key with its modification time."""
        base = self.root / "sha512"
        if not base.is_dir():
            return
        for path in sorted(base.glob("*/*/*")):
            mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            yield f"sha512/{path.name}", mtime
