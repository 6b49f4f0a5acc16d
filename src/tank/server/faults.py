"""Faults of the machine, told apart from bugs: a full disk, a database lock held too long.

:func:`fault_of` maps an exception to the answer the caller and the operator need: 507
Insufficient Storage when a disk is full (blob storage, the SQLite file, PostgreSQL's data
directory), 503 Service Unavailable when the database stays locked past the registry's lock
timeout or cannot be reached. Both carry ``Retry-After``; the server log gets the details an
operator acts on (which path, how much space is left). Anything else stays a 500: a bug.
"""

from __future__ import annotations

import errno
import logging
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from tank.server.errors import ApiError, InsufficientStorage, ServiceUnavailable

log = logging.getLogger("tank.server")

#: Seconds a client should wait before retrying after a full disk (an operator must act).
RETRY_FULL = 300
#: Seconds before retrying after a lock timeout (the holder is usually done by then).
RETRY_BUSY = 5
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT}
#: PostgreSQL SQLSTATEs: disk_full, and the lock/statement timeouts the registry sets.
_PG_FULL = {"53100"}
_PG_BUSY = {"55P03", "57014", "40P01"}


def _free_bytes(path: str | None) -> str:
    """The free space of the file system holding ``path`` (its nearest existing folder)."""
    if not path:
        return "free space unknown"
    for candidate in (Path(path), *Path(path).parents):
        try:
            return f"{shutil.disk_usage(candidate).free} bytes free"
        except OSError:
            continue
    return "free space unknown"


def storage_full(what: str, path: str | None) -> InsufficientStorage:
    """The 507 for a full disk under ``what`` (logged with ``path`` and its free space)."""
    log.error("%s is full: writing %s failed (%s)", what, path or "?", _free_bytes(path))
    return InsufficientStorage(
        f"the registry has no space left on its {what}",
        code="storage_full",
        detail=f"retry in {RETRY_FULL} s",
        hint="retry later; registry operator: free space or grow the volume "
        "(the server log names the path and the space left)",
        retry_after=RETRY_FULL,
    )


def database_busy(detail: str) -> ServiceUnavailable:
    """The 503 for a database lock held past the registry's lock timeout."""
    log.warning("database busy: %s", detail)
    return ServiceUnavailable(
        "the registry's database is busy (a write lock is held by another transaction)",
        code="database_busy",
        detail=f"retry in {RETRY_BUSY} s",
        hint="retry shortly; registry operator: if this persists, look for a long-running "
        "process holding the database (a backup, an admin command)",
        retry_after=RETRY_BUSY,
    )


def _sqlite_fault(error: sqlite3.Error, path: str | None) -> ApiError | None:
    code = getattr(error, "sqlite_errorcode", None)
    text = str(error).lower()
    if code == sqlite3.SQLITE_FULL or "database or disk is full" in text:
        return storage_full("database disk", path)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "database is locked" in text:
        return database_busy(str(error))
    return None


def _postgres_fault(error: BaseException) -> ApiError | None:
    state = getattr(error, "sqlstate", None)
    if state in _PG_FULL:
        return storage_full("database disk", None)
    if state in _PG_BUSY:
        return database_busy(str(error).splitlines()[0] if str(error) else state)
    return None


def fault_of(error: BaseException, *, database_path: str | None = None) -> ApiError | None:
    """The 503/507 answer for ``error`` when it is a fault of the machine, else None."""
    if isinstance(error, DBAPIError):
        inner = error.orig
        if isinstance(inner, sqlite3.Error):
            return _sqlite_fault(inner, database_path)
        return _postgres_fault(inner) if inner is not None else None
    if isinstance(error, sqlite3.Error):
        return _sqlite_fault(error, database_path)
    if isinstance(error, OSError) and error.errno in _DISK_FULL:
        return storage_full("storage", error.filename)
    return None
