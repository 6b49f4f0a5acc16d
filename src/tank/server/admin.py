"""The registry's public entry for the CLI: serve, migrate, and administer accounts.

``tank.cli`` imports only this module and :mod:`tank.server.settings` from the server.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from sqlalchemy import Engine

from tank.server.db.engine import make_engine, session_factory, write_session
from tank.server.db.migrate import upgrade
from tank.server.db.models import User
from tank.server.errors import Conflict
from tank.server.services import audit
from tank.server.services.access import find_user
from tank.server.services.auth import hash_password
from tank.server.settings import ENV_PREFIX, Settings


@dataclass(frozen=True, slots=True)
class MigrationResult:
    """Where the database was and where it is now."""

    before: str | None
    after: str | None


def migrate(database_url: str) -> MigrationResult:
    """Bring the database at ``database_url`` to the newest schema."""
    engine = make_engine(database_url)
    try:
        before, after = upgrade(engine)
    finally:
        engine.dispose()
    return MigrationResult(before, after)


def _engine(database_url: str) -> Engine:
    engine = make_engine(database_url)
    upgrade(engine)
    return engine


def create_user(
    database_url: str, username: str, password: str, *, admin: bool = False, verified: bool = False
) -> int:
    """Create a user; return its id. Raises :class:`Conflict` when the name is taken."""
    from tank.core.skillmd import is_valid_name

    if not is_valid_name(username):
        from tank.core.errors import UsageError

        raise UsageError(
            f"{username!r} is not a valid username",
            hint="use 1-64 characters of a-z, 0-9 and '-' (it doubles as your scope)",
        )
    if len(password) < 8:
        from tank.core.errors import UsageError

        raise UsageError("the password is too short", hint="use at least 8 characters")
    engine = _engine(database_url)
    try:
        with write_session(session_factory(engine)) as session:
            if find_user(session, username) is not None:
                raise Conflict(f"the user {username!r} already exists", code="user_exists")
            user = User(
                username=username,
                password_hash=hash_password(password),
                is_admin=admin,
                verified=verified,
            )
            session.add(user)
            session.flush()
            audit.record(session, "user.created", subject=username, details={"admin": admin})
            return user.id
    finally:
        engine.dispose()


def serve(settings: Settings) -> None:
    """Migrate the database, then run the registry with ``settings.workers`` uvicorn workers."""
    import uvicorn

    settings.storage.mkdir(parents=True, exist_ok=True)
    migrate(settings.database_url)
    # Workers are separate processes: hand them the settings through the environment.
    for key, value in settings.model_dump().items():
        if value is None:
            continue
        # pydantic-settings reads complex values (the reserved scope list) as JSON.
        text = json.dumps(list(value)) if isinstance(value, tuple) else str(value)
        os.environ[f"{ENV_PREFIX}{key.upper()}"] = text
    uvicorn.run(
        "tank.server.asgi:app_factory",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level="warning",
        access_log=False,
        proxy_headers=False,
        server_header=False,
    )
