"""Helpers for the search tests: put users, scopes, orgs and versions straight in a real database.

Search is tested on its own, without the publish pipeline: rows are inserted as the publish
service would, then indexed with the same entry point it calls (:func:`index_skill`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tank.server.db.models import Org, OrgMember, Scope, Skill, SkillVersion, User
from tank.server.services.auth import Principal
from tank.server.services.search import index_skill

_CLOCK = datetime(2025, 1, 1, tzinfo=UTC)


def user(session: Session, name: str, *, admin: bool = False) -> User:
    """The user ``name``, created when missing."""
    found = session.scalars(select(User).where(User.username == name)).first()
    if found is None:
        found = User(username=name, password_hash="x", is_admin=admin)
        session.add(found)
        session.flush()
    return found


def principal(row: User, *scopes: str) -> Principal:
    """A principal for ``row`` holding a token with ``scopes`` (default: read)."""
    granted = frozenset(scopes or ("read",))
    return Principal(row.id, row.username, token_id=0, scopes=granted, is_admin=row.is_admin)


def org_scope(session: Session, scope: str, members: dict[str, str]) -> None:
    """An org named like ``scope`` owning it, with ``{username: role}`` members."""
    org = Org(name=scope)
    session.add(org)
    session.flush()
    session.add(Scope(name=scope, owner_org_id=org.id))
    for name, role in members.items():
        session.add(OrgMember(org_id=org.id, user_id=user(session, name).id, role=role))
    session.flush()


@dataclass
class Published:
    """What :func:`publish` made."""

    skill: Skill
    version: SkillVersion


def publish(
    session: Session,
    name: str,
    version: str = "1.0.0",
    *,
    description: str = "A skill.",
    keywords: list[str] | None = None,
    body: str = "Do the thing.",
    private: bool = False,
    verdict: str = "pass",
    score: float | None = 8.0,
    publisher: str = "alice",
    minutes: int = 0,
    permissions: dict[str, object] | None = None,
) -> Published:
    """Insert ``name@version`` like the publish service does, then index it."""
    scope_name = name.split("/", 1)[0].lstrip("@")
    owner = user(session, publisher)
    if session.get(Scope, scope_name) is None:
        session.add(Scope(name=scope_name, owner_user_id=owner.id))
        session.flush()
    skill = session.scalars(select(Skill).where(Skill.name == name)).first()
    if skill is None:
        skill = Skill(name=name, scope=scope_name, private=private, description=description)
        session.add(skill)
        session.flush()
    short = name.rsplit("/", maxsplit=1)[-1]
    skill_md = f"---\nname: {short}\ndescription: {description}\n---\n\n{body}\n"
    row = SkillVersion(
        skill_id=skill.id,
        version=version,
        integrity="sha512-" + hashlib.sha512(f"{name}@{version}".encode()).hexdigest()[:40],
        blob_key="sha512/" + hashlib.sha512(f"{name}@{version}".encode()).hexdigest(),
        size=1,
        unpacked_size=1,
        manifest={"name": name, "version": version, "keywords": keywords or []},
        skill_md=skill_md,
        description=description,
        files=[],
        permissions=permissions or {},
        dependencies={},
        verdict=verdict,
        audit_score=score,
        publisher_id=owner.id,
        published_at=_CLOCK + timedelta(minutes=minutes),
    )
    session.add(row)
    index_skill(session, skill, row)
    return Published(skill, row)
