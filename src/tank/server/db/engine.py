"""Engines and sessions for SQLite (embedded default) and PostgreSQL.

SQLite runs in WAL mode (readers never block the writer), with foreign keys on and a busy
timeout. pysqlite's own transaction handling is turned off so that we emit BEGIN ourselves:
read transactions use a deferred BEGIN, write transactions ``BEGIN IMMEDIATE`` (take the
write lock up front, so two concurrent publishes queue instead of failing half-way with
"database is locked" when a read lock cannot be upgraded).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

WRITE = {"sqlite_begin": "IMMEDIATE"}


def normalise_url(url: str) -> str:
    """Accept ``postgres://`` and ``postgresql://`` and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


#: How long a transaction waits for a lock before giving up (answered 503 with Retry-After).
#: Well below a client's patience (30 s per read): the caller gets an answer, not a timeout.
DEFAULT_LOCK_TIMEOUT_S = 10.0


def make_engine(
    url: str, *, lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S, **kwargs: Any
) -> Engine:
    """An engine for ``url``; creates the SQLite file's folder when needed.

    ``lock_timeout_s`` bounds every wait for a lock: SQLite's busy timeout, PostgreSQL's
    ``lock_timeout``.
    """
    lock_ms = max(1, int(lock_timeout_s * 1000))
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": lock_timeout_s},
            pool_size=20,
            max_overflow=20,
            **kwargs,
        )
        _sqlite_setup(engine, lock_ms)
        return engine
    return create_engine(
        url,
        pool_size=10,
        max_overflow=20,
        pool_pre_ping=True,
        connect_args={"options": f"-c lock_timeout={lock_ms}"},
        **kwargs,
    )


def _sqlite_setup(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to ``engine`` that keep objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def write_session(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose transaction holds the write lock from its start (SQLite) and commits
    on success, rolls back on any error."""
    with factory() as session:
        session.connection(execution_options=WRITE)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
