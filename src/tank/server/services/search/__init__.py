"""Full-text search of the registry, behind one Protocol with a backend per database.

Write side (called by the publish and manage services, inside *their* transaction, so the
index can never disagree with what was committed):

- :func:`index_skill` after inserting a version,
- :func:`reindex` after a yank, an unyank, a delete, or a visibility change,
- :func:`remove_skill` when a skill goes away (deleting the ``skills`` row also cascades).

Read side: :func:`search` and :func:`list_tags`, which take the caller and show private skills
only to those :func:`tank.server.services.access.can_read_private` allows.

The backend is picked from the session's dialect: SQLite uses FTS5
(:mod:`.sqlite_fts`), PostgreSQL a weighted tsvector (:mod:`.postgres_fts`).
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tank.server.db.models import OrgMember, Scope, Skill, SkillVersion
from tank.server.db.models_search import SearchDocument
from tank.server.services.access import can_read_private, scope_of
from tank.server.services.auth import Principal
from tank.server.services.search.documents import build_document, latest_visible_version
from tank.server.services.search.model import (
    ANONYMOUS,
    Capability,
    IndexedDocument,
    SearchHit,
    SearchPage,
    SearchQuery,
    TagCount,
    Verdict,
    Visibility,
)
from tank.server.services.search.postgres_fts import PostgresSearch
from tank.server.services.search.sqlite_fts import SqliteSearch

__all__ = [
    "ANONYMOUS",
    "Capability",
    "IndexedDocument",
    "SearchHit",
    "SearchIndex",
    "SearchPage",
    "SearchQuery",
    "TagCount",
    "Verdict",
    "Visibility",
    "index_skill",
    "list_tags",
    "reindex",
    "reindex_all",
    "remove_skill",
    "search",
    "search_index",
    "visibility_of",
]


class SearchIndex(Protocol):
    """A full-text index of skills (one implementation per database backend)."""

    def index(self, session: Session, doc: IndexedDocument) -> None:
        """Insert or replace the indexed row of ``doc.skill_id``."""

    def remove(self, session: Session, skill_id: int) -> None:
        """Drop a skill from the index (no error when it is not there)."""

    def query(self, session: Session, query: SearchQuery, visible: Visibility) -> SearchPage:
        """One page of matches, best first (newest first when the query has no words)."""

    def tags(self, session: Session, prefix: str | None, limit: int) -> list[TagCount]:
        """Keywords of public skills with their counts, most used first, then by name."""


_BACKENDS: dict[str, SearchIndex] = {"sqlite": SqliteSearch(), "postgresql": PostgresSearch()}


def search_index(session: Session) -> SearchIndex:
    """The implementation for the database ``session`` is bound to."""
    dialect = session.get_bind().dialect.name
    try:
        return _BACKENDS[dialect]
    except KeyError:
        raise RuntimeError(f"no search backend for the {dialect!r} database") from None


def index_skill(session: Session, skill: Skill, version: SkillVersion) -> None:
    """Update the index after ``version`` of ``skill`` was inserted (or changed).

    Search shows the latest *visible* version, which is not necessarily ``version`` (a
    backport 1.0.5 published after 2.0.0 does not replace 2.0.0), so this recomputes it.
    """
    session.add(version)
    session.flush()
    reindex(session, skill)


def reindex(session: Session, skill: Skill) -> None:
    """Recompute the indexed row of ``skill`` from its latest visible version (or drop it)."""
    # Serialise concurrent writers of the same skill (PostgreSQL; SQLite writers already are):
    # the versions read below then include every version committed before us.
    session.execute(select(Skill.id).where(Skill.id == skill.id).with_for_update())
    backend = search_index(session)
    latest = latest_visible_version(session, skill.id)
    if latest is None:
        backend.remove(session, skill.id)
    else:
        backend.index(session, build_document(skill, latest))


def remove_skill(session: Session, skill_id: int) -> None:
    """Drop ``skill_id`` from the index."""
    search_index(session).remove(session, skill_id)


def reindex_all(session: Session) -> int:
    """Rebuild the index of every skill (after a restore or an upgrade); return the count."""
    skills = session.scalars(select(Skill).order_by(Skill.id)).all()
    for skill in skills:
        reindex(session, skill)
    return len(skills)


def visibility_of(session: Session, principal: Principal | None) -> Visibility:
    """Which private skills ``principal`` may find.

    Candidates are the scopes holding an indexed private skill that the user owns or belongs
    to through an org (every such scope for an administrator); each is then confirmed with
    :func:`can_read_private`, the one authority on private reads, so search can never be
    more permissive than fetching the skill directly.
    """
    if principal is None or not principal.has_scope("read"):
        return ANONYMOUS
    member_of = select(OrgMember.org_id).where(OrgMember.user_id == principal.user_id)
    with_private = select(SearchDocument.scope).where(SearchDocument.private.is_(True))
    owned = or_(Scope.owner_user_id == principal.user_id, Scope.owner_org_id.in_(member_of))
    if principal.is_admin:
        owned = or_(owned, Scope.name.is_not(None))
    # Whole Scope rows, held in a list: can_read_private's session.get() then finds them in
    # the identity map (which holds only weak references) instead of querying each again.
    scopes = list(session.scalars(select(Scope).where(owned, Scope.name.in_(with_private))))
    candidates = {scope.name for scope in scopes}
    allowed = frozenset(s for s in candidates if can_read_private(session, principal, s))
    # A token restricted to single skills reads those, not their whole scope.
    names = frozenset(
        name
        for name in principal.restrict_to
        if "/" in name
        and scope_of(name) in candidates
        and can_read_private(session, principal, scope_of(name), name)
    )
    return Visibility(private_scopes=allowed, private_names=names)


def search(session: Session, principal: Principal | None, query: SearchQuery) -> SearchPage:
    """One page of the skills matching ``query`` that ``principal`` may see."""
    return search_index(session).query(session, query, visibility_of(session, principal))


def list_tags(session: Session, prefix: str | None = None, limit: int = 100) -> list[TagCount]:
    """Keywords across public skills with counts (optionally only those starting ``prefix``)."""
    return search_index(session).tags(session, prefix.lower() if prefix else None, limit)
