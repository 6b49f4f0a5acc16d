"""The two hottest reads, as single narrow queries: a skill's document and a tarball's blob.

Loading ORM objects would fetch every column of the version row (manifest, file listing,
SKILL.md text) to use three of them. These lookups fetch only what the answer needs, with the
same access rules as :mod:`tank.server.services.skills`, and they go through a pooled DBAPI
connection directly: measured on SQLite, an ORM session round costs ~600 µs, a Core
connection ~300 µs, the same query on the raw pooled connection ~10 µs (bench/README.md).
A private skill the caller may not read and a missing skill take the same path (one
statement, then the same access check) so their 404s cannot be told apart by timing.
The SQL is two fixed statements over columns of :mod:`tank.server.db.models`; the functional
tests exercise both on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tank.server.errors import NotFound
from tank.server.services.access import can_read_private, check_as_if_private
from tank.server.services.auth import Principal
from tank.server.services.skills import check_servable, normalise_version, skill_not_found


@dataclass(frozen=True, slots=True)
class Document:
    """What ``GET /v1/skills/{name}`` answers."""

    name: str
    private: bool
    body: bytes
    etag: str
    serial: int = 0  # skills.document_serial: the rollback counter the signature names


@dataclass(frozen=True, slots=True)
class Tarball:
    """Where a version's tarball is and how to label it."""

    name: str
    version: str
    private: bool
    integrity: str
    blob_key: str


def _check_visible(
    session: Session, principal: Principal | None, name: str, private: bool, scope: str
) -> None:
    if private and not can_read_private(session, principal, scope, name):
        raise skill_not_found(name)


_DOCUMENT_SQL = (
    "SELECT private, scope, document, etag, document_serial FROM skills WHERE name = {p}"
)
# A LEFT JOIN: one statement tells "no skill" from "no version", so a missing skill, a
# private one and a missing version of a visible one all cost one query and one access check.
_TARBALL_SQL = (
    "SELECT s.private, s.scope, v.version, v.integrity, v.blob_key, v.deleted_at, v.verdict "
    "FROM skills s LEFT JOIN skill_versions v ON v.skill_id = s.id AND v.version = {p} "
    "WHERE s.name = {p}"
)


def _fetch_one(session: Session, sql: str, params: tuple[str, ...]) -> tuple[Any, ...] | None:
    """Run one parameterised SELECT on the session's engine through a raw pooled connection."""
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    marker = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        try:
            cursor.execute(sql.format(p=marker), params)
            row = cursor.fetchone()
        finally:
            cursor.close()
    finally:
        connection.close()  # back to the pool, which rolls back any implicit transaction
    return tuple(row) if row is not None else None


def document(session: Session, principal: Principal | None, name: str) -> Document:
    """The pre-serialised document of ``name`` if the caller may see it."""
    row = _fetch_one(session, _DOCUMENT_SQL, (name,))
    if row is None:
        check_as_if_private(session, principal, name)  # same work as a hidden private skill
        raise skill_not_found(name)
    private, scope, body, etag, serial = row
    _check_visible(session, principal, name, bool(private), scope)
    return Document(name, bool(private), bytes(body), etag, int(serial or 0))


def tarball(session: Session, principal: Principal | None, name: str, version: str) -> Tarball:
    """The servable tarball of ``name@version`` (404 unknown, 410 unpublished, 451 failed)."""
    text = normalise_version(version)
    row = _fetch_one(session, _TARBALL_SQL, (text or "", name))
    if row is None:
        check_as_if_private(session, principal, name)  # same work as a hidden private skill
        raise skill_not_found(name)
    private, scope, found, integrity, blob_key, deleted_at, verdict = row
    # Tell "no such skill" from "no such version" only to callers who may see the skill.
    _check_visible(session, principal, name, bool(private), scope)
    if found is None:
        raise NotFound(
            f"{name} has no version {version}",
            code="version_not_found",
            hint=f"see GET /v1/skills/{name} for the published versions",
        )
    check_servable(name, found, deleted_at, verdict)
    return Tarball(name, found, bool(private), integrity, blob_key)
