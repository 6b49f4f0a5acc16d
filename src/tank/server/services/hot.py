"""The two hottest reads, as single narrow queries: a skill's document and a tarball's blob.

Loading ORM objects would fetch every column of the version row (manifest, file listing,
SKILL.md text) to use three of them; these Core queries fetch only what the answer needs,
with the same access rules as :mod:`tank.server.services.skills`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tank.server.db.models import Skill, SkillVersion
from tank.server.errors import Gone, NotFound
from tank.server.services.access import can_read_private
from tank.server.services.auth import Principal
from tank.server.services.skills import Unavailable, normalise_version


@dataclass(frozen=True, slots=True)
class Document:
    """What ``GET /v1/skills/{name}`` answers."""

    name: str
    private: bool
    body: bytes
    etag: str


@dataclass(frozen=True, slots=True)
class Tarball:
    """Where a version's tarball is and how to label it."""

    name: str
    version: str
    private: bool
    integrity: str
    blob_key: str


def _not_found(name: str) -> NotFound:
    return NotFound(
        f"no skill named {name}",
        code="skill_not_found",
        hint="check the name (and that your token may read it)",
    )


def _check_visible(
    session: Session, principal: Principal | None, name: str, private: bool, scope: str
) -> None:
    if private and not can_read_private(session, principal, scope):
        raise _not_found(name)


def document(session: Session, principal: Principal | None, name: str) -> Document:
    """The pre-serialised document of ``name`` if the caller may see it."""
    row = session.execute(
        select(Skill.private, Skill.scope, Skill.document, Skill.etag).where(Skill.name == name)
    ).first()
    if row is None:
        raise _not_found(name)
    private, scope, body, etag = row
    _check_visible(session, principal, name, private, scope)
    return Document(name, private, body, etag)


def tarball(session: Session, principal: Principal | None, name: str, version: str) -> Tarball:
    """The servable tarball of ``name@version`` (404 unknown, 410 unpublished, 451 failed)."""
    text = normalise_version(version)
    row = session.execute(
        select(
            Skill.private,
            Skill.scope,
            SkillVersion.version,
            SkillVersion.integrity,
            SkillVersion.blob_key,
            SkillVersion.deleted_at,
            SkillVersion.verdict,
        )
        .join(SkillVersion, SkillVersion.skill_id == Skill.id)
        .where(Skill.name == name, SkillVersion.version == (text or ""))
    ).first()
    if row is None:
        # Tell "no such skill" from "no such version" only to callers who may see the skill.
        document(session, principal, name)
        raise NotFound(
            f"{name} has no version {version}",
            code="version_not_found",
            hint=f"see GET /v1/skills/{name} for the published versions",
        )
    private, scope, found, integrity, blob_key, deleted_at, verdict = row
    _check_visible(session, principal, name, private, scope)
    _check_servable(name, found, deleted_at, verdict)
    return Tarball(name, found, private, integrity, blob_key)


def _check_servable(name: str, version: str, deleted_at: datetime | None, verdict: str) -> None:
    if deleted_at is not None:
        raise Gone(
            f"{name}@{version} was unpublished",
            code="version_deleted",
            hint="pick another version; this number is never reused",
        )
    if verdict == "fail":
        raise Unavailable(
            f"{name}@{version} failed the security scan and is not served",
            hint="see the version's findings; the publisher must fix and publish a new version",
        )
