"""Alembic environment: runs on the engine handed in by :mod:`tank.server.db.migrate`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from tank.server.db.models import Base

config = context.config
engine = config.attributes.get("engine")
if not isinstance(engine, Engine):  # pragma: no cover - only when run by the alembic CLI
    from tank.server.db.engine import make_engine

    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")


def include_object(
    obj: object, name: str | None, kind: str, reflected: bool, compare_to: object
) -> bool:
    """Autogenerate sees only Base.metadata: never propose dropping the hand-written search
    tables (0002_search) or SQLite's FTS shadow tables."""
    del obj, compare_to
    if kind == "table" and reflected and name is not None:
        return name in Base.metadata.tables
    return True


with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
