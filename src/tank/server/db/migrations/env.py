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

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
