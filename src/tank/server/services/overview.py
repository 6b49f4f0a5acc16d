"""The registry's own numbers and its best-scored skills (the web UI's home page).

Everything here counts what an anonymous visitor may see: public skills only, each described
by its latest visible version (the search index's row), so the home page never says more than
search does. Downloads are not counted anywhere in the registry, so there is no "most
installed" list.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tank.server.db.models import Skill, SkillVersion
from tank.server.db.models_search import SearchDocument
from tank.server.services.auth import Principal
from tank.server.services.search import SearchHit, visibility_of
from tank.server.services.search.base import hit_of, visibility_filter

__all__ = ["GOOD_SCORE", "Numbers", "numbers", "top_scored"]

#: The score the home page counts as good (the default ``audit.min_score`` of a project).
GOOD_SCORE = 7.0


@dataclass(frozen=True, slots=True)
class Numbers:
    """What the registry holds, publicly."""

    skills: int
    versions: int
    publishers: int
    #: Skills whose latest version scores at least :data:`GOOD_SCORE`, over all scored skills.
    good_share: float | None


def numbers(session: Session) -> Numbers:
    """Public skills (with a visible version), their published versions, their publishers,
    and the share of skills scoring at least :data:`GOOD_SCORE`."""
    public = SearchDocument.private.is_(False)
    skills, scored, good = session.execute(
        select(
            func.count(),
            func.count(SearchDocument.audit_score),
            func.count().filter(SearchDocument.audit_score >= GOOD_SCORE),
        ).where(public)
    ).one()
    live = (
        select(func.count(), func.count(func.distinct(SkillVersion.publisher_id)))
        .join(Skill, Skill.id == SkillVersion.skill_id)
        .where(Skill.private.is_(False), SkillVersion.deleted_at.is_(None))
    )
    versions, publishers = session.execute(live).one()
    share = (good / scored) if scored else None
    return Numbers(int(skills), int(versions), int(publishers), share)


def top_scored(session: Session, principal: Principal | None, limit: int = 6) -> list[SearchHit]:
    """The highest-scored skills ``principal`` may see (ties: newest first, then by name)."""
    rows = session.scalars(
        select(SearchDocument)
        .where(
            visibility_filter(visibility_of(session, principal)),
            SearchDocument.audit_score.is_not(None),
        )
        .order_by(
            SearchDocument.audit_score.desc(),
            SearchDocument.published_at.desc(),
            SearchDocument.name,
        )
        .limit(limit)
    )
    return [hit_of(doc, 0.0) for doc in rows]
