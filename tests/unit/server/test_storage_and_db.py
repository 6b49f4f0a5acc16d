"""Blob store and database plumbing on real SQLite and PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from tank.server.db.engine import make_engine, normalise_url
from tank.server.db.migrate import current_revision, head_revision, upgrade
from tank.server.storage import blob_key
from tank.server.storage.local import LocalBlobStore


def test_local_blob_store_round_trip(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    key = store.put(b"hello")
    assert key == blob_key(b"hello")
    assert store.put(b"hello") == key  # idempotent
    assert store.get(key) == b"hello"
    assert store.exists(key)
    assert [k for k, _ in store.keys()] == [key]  # noqa: SIM118 - keys() is the store API
    assert not list((tmp_path / "tmp").iterdir())  # no temp files left behind
    store.delete(key)
    assert not store.exists(key)
    with pytest.raises(KeyError):
        store.get(key)


@pytest.mark.parametrize("bad", ["../../etc/passwd", "sha512/../../x", "sha512/" + "g" * 128, ""])
def test_blob_keys_are_never_paths(tmp_path: Path, bad: str) -> None:
    store = LocalBlobStore(tmp_path)
    with pytest.raises(KeyError):
        store.get(bad)
    assert not store.exists(bad)


def test_blob_files_are_not_world_writable(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    key = store.put(os.urandom(100))
    mode = store.path_of(key).stat().st_mode
    assert not mode & 0o002


def test_url_normalisation() -> None:
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_migrated_database_is_at_head(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) == head_revision(engine)
        before, after = upgrade(engine)  # idempotent
        assert before == after == head_revision(engine)
        with engine.connect() as conn:
            tables = {"users", "skills", "skill_versions", "tokens", "audit_events"}
            if engine.dialect.name == "sqlite":
                rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
                assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            else:
                rows = conn.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname='public'")
                )
            assert tables <= {r[0] for r in rows}
    finally:
        engine.dispose()
