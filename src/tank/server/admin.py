"""The registry's public entry for the CLI: serve, migrate, and administer accounts.

``tank.cli`` imports only this module and :mod:`tank.server.settings` from the server.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tank.core.errors import TankError
from tank.server.db.engine import make_engine, session_factory, write_session
from tank.server.db.migrate import upgrade
from tank.server.db.models import User
from tank.server.errors import NotFound
from tank.server.services import accounts, audit, tokens
from tank.server.services.access import find_user
from tank.server.settings import ENV_PREFIX, Settings, load_settings


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
    database_url: str,
    username: str,
    password: str,
    *,
    admin: bool = False,
    verified: bool = False,
    approve: bool = False,
) -> int:
    """Create a user; return its id. Raises :class:`Conflict` when the name is taken, and
    :class:`Forbidden` for a reserved or look-alike name unless ``approve``."""
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
            user = accounts.create_user(
                session,
                username,
                password,
                admin=admin,
                verified=verified,
                reserved=load_settings(None, database_url=database_url).reserved_scopes,
                approved=approve,
            )
            return user.id
    finally:
        engine.dispose()


@contextmanager
def _admin_session(settings: Settings) -> Iterator[Session]:
    """A write session on the (migrated) database of ``settings``, disposed afterwards."""
    engine = _engine(settings.database_url)
    try:
        with write_session(session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def _user(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise NotFound(f"no user called {username!r}", code="user_not_found")
    return user


def create_org(
    settings: Settings, name: str, *, owner: str, approve: bool = False
) -> dict[str, Any]:
    """Create org ``name`` (and its scope) owned by user ``owner``; ``approve`` admits a
    reserved or look-alike name."""
    with _admin_session(settings) as session:
        org = accounts.create_org(
            session,
            name,
            owner=_user(session, owner),
            principal=None,
            trusted=True,
            approve=approve,
            reserved=frozenset(settings.reserved_scopes),
        )
        return {"id": org.id, "name": org.name, "scope": f"@{org.name}", "owner": owner}


def add_member(settings: Settings, org: str, username: str, *, role: str) -> dict[str, Any]:
    """Add ``username`` to ``org`` with ``role`` (or change their role)."""
    with _admin_session(settings) as session:
        member, added = accounts.set_member(
            session, org, username, role, principal=None, trusted=True
        )
        return {"org": org, "username": username, "role": member.role, "added": added}


def create_token(
    settings: Settings,
    username: str,
    *,
    scopes: Sequence[str],
    expires_in_days: int | None = None,
    restrict_to: Sequence[str] = (),
    name: str = "",
) -> dict[str, Any]:
    """Create a token for ``username``; the answer holds the secret, shown this once."""
    with _admin_session(settings) as session:
        issued = tokens.issue(
            session,
            settings,
            _user(session, username),
            scopes=scopes,
            name=name,
            expires_in_days=expires_in_days,
            restrict_to=restrict_to,
            via="admin-cli",
        )
        return issued.as_dict()


def collect_garbage(
    settings: Settings, *, grace_seconds: int = 3600, dry_run: bool = False
) -> dict[str, Any]:
    """Delete blobs no version references (older than ``grace_seconds``); audit the run."""
    from tank.server.context import Registry
    from tank.server.services import gc

    migrate(settings.database_url)
    registry = Registry.from_settings(settings)
    try:
        report = gc.collect_garbage(registry, grace_seconds=grace_seconds, dry_run=dry_run)
        removed = [str(key) for key in report.removed]
        if not dry_run:
            with write_session(registry.sessions) as session:
                audit.record(
                    session,
                    "registry.gc",
                    details={"removed": removed, "kept": int(report.kept)},
                )
    finally:
        registry.engine.dispose()
    return {"removed": removed, "kept": int(report.kept), "dry_run": dry_run}


def set_user_flag(
    settings: Settings, username: str, flag: str, *, granted: bool = True
) -> dict[str, Any]:
    """Grant or revoke ``flag`` (``reviewer`` or ``verified``) for ``username``; audit it.

    ``verified`` (a verified publisher) counts for versions published from now on: versions
    already published keep the score they were given.
    """
    if flag not in ("reviewer", "verified"):
        raise ValueError(f"unknown user flag {flag!r}")
    with _admin_session(settings) as session:
        user = _user(session, username)
        before = bool(getattr(user, flag))
        setattr(user, flag, granted)
        if before != granted:
            action = {"reviewer": "user.reviewer", "verified": "user.verified"}[flag]
            audit.record(
                session,
                f"{action}_{'granted' if granted else 'revoked'}",
                subject=username,
                details={"via": "admin-cli"},
            )
        return {"username": username, flag: granted, "changed": before != granted}


def set_user_disabled(
    settings: Settings, username: str, *, disabled: bool = True
) -> dict[str, Any]:
    """Disable ``username`` (revoke every token, refuse logins; skills kept) or enable it."""
    from tank.server.services.disable import set_disabled

    with _admin_session(settings) as session:
        return set_disabled(session, _user(session, username), disabled=disabled, via="admin-cli")


def rescan(settings: Settings, target: str | None = None, *, every: bool = False) -> dict[str, Any]:
    """Rescan ``target`` (``@scope/name[@version]``) or every live version; quarantine fails."""
    from tank.server.context import Registry
    from tank.server.services.rescan import rescan as run_rescan

    migrate(settings.database_url)
    registry = Registry.from_settings(settings)
    try:
        return run_rescan(registry, target, every=every).as_dict()
    finally:
        registry.engine.dispose()


@contextmanager
def _registry(settings: Settings) -> Iterator[Any]:
    """The (migrated) registry of ``settings``, its engine disposed afterwards."""
    from tank.server.context import Registry

    migrate(settings.database_url)
    registry = Registry.from_settings(settings)
    try:
        yield registry
    finally:
        registry.engine.dispose()


def rotate_key(settings: Settings) -> dict[str, Any]:
    """Retire the registry's signing key for a new one it endorses; audit it."""
    from tank.server.services import log_admin

    with _registry(settings) as registry:
        result = log_admin.rotate_key(registry)
        with write_session(registry.sessions) as session:
            audit.record(session, "registry.key_rotated", details=dict(result))
        return result


def list_keys(settings: Settings) -> list[dict[str, Any]]:
    """The registry's signing keys, oldest first (made now if there is none yet)."""
    from tank.server.services import log_admin, registry_keys

    with _registry(settings) as registry:
        log_admin.prepare(registry)
        with registry.sessions() as session:
            return registry_keys.served_keys(session)


def verify_log(settings: Settings) -> dict[str, Any]:
    """Recompute the transparency log from the database and check its signed heads."""
    from tank.server.services import log_admin

    with _registry(settings) as registry:
        return log_admin.verify(registry).as_dict()


def prepare_log(settings: Settings) -> int:
    """Make the signing key and log every version not logged yet (at start)."""
    from tank.server.services import log_admin

    with _registry(settings) as registry:
        return log_admin.prepare(registry)


@dataclass(frozen=True, slots=True)
class ImportItem:
    """One skill ``tank registry import`` read from git: its canonical tarball, the name and
    version its skills.json gives, and where it was read (git URL, commit, folder)."""

    data: bytes
    name: str
    version: str
    source: str
    commit: str
    path: str


def import_skills(
    settings: Settings, items: Sequence[ImportItem], *, as_user: str | None = None
) -> list[dict[str, Any] | TankError]:
    """Publish each of ``items`` through the publish pipeline as ``as_user`` (default: the
    registry's only admin), its provenance recorded; one answer per item, in order: the
    import's summary, or the error that refused it (the others still run)."""
    from tank.server.services.imports import import_version, importer

    with _registry(settings) as registry:
        principal = importer(registry, as_user)
        answers: list[dict[str, Any] | TankError] = []
        for item in items:
            source = {
                "source": item.source,
                "commit": item.commit,
                "path": item.path,
                "imported_by": principal.username,
            }
            try:
                done = import_version(
                    registry, principal, item.data, name=item.name, version=item.version,
                    source=source,
                )  # fmt: skip
            except TankError as error:
                answers.append(error)
                continue
            answers.append(done.as_dict())
        return answers


def serve(settings: Settings) -> None:
    """Migrate the database, make sure the signing key and the transparency log are ready,
    then run the registry with ``settings.workers`` uvicorn workers."""
    import uvicorn

    settings.storage.mkdir(parents=True, exist_ok=True)
    prepare_log(settings)  # migrates first
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
