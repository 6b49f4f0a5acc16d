"""The registry's long-lived parts, built once per process and shared by every request."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tank.server.db.engine import make_engine, session_factory
from tank.server.settings import Settings
from tank.server.storage import BlobStore
from tank.server.storage.cache import BlobCache
from tank.server.storage.local import LocalBlobStore


@dataclass(frozen=True, slots=True)
class Registry:
    """Settings, database, blob store: what services need, passed explicitly (no globals)."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    blobs: BlobStore
    blob_cache: BlobCache = field(default_factory=BlobCache)

    @classmethod
    def from_settings(cls, settings: Settings) -> Registry:
        """Connect to what ``settings`` names (the database must already be migrated)."""
        engine = make_engine(settings.database_url, lock_timeout_s=settings.db_lock_timeout_seconds)
        return cls(settings, engine, session_factory(engine), make_blob_store(settings))

    @property
    def database_path(self) -> str | None:
        """The SQLite database file (None for PostgreSQL), for operator messages."""
        url = self.engine.url
        return url.database if url.get_backend_name() == "sqlite" else None


def make_blob_store(settings: Settings) -> BlobStore:
    """The blob store ``settings`` selects (a local folder today)."""
    return LocalBlobStore(settings.storage)
