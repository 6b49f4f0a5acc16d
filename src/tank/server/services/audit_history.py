"""Each version's audit history: what the registry concluded about it, and when, and why.

The ``skill_versions`` row holds the current verdict, score, breakdown and findings; every
change to them (publish, rescan, review, admin) also appends a ``version_audits`` entry with
the values it set, so the history explains how a version got where it is. ``GET
/v1/skills/{name}/audit`` reads it with the skill document's visibility rules.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tank.server.db.models import Review, Skill, SkillVersion, User, VersionAudit
from tank.server.services.auth import Principal
from tank.server.services.skills import version_key, visible_skill
from tank.server.services.times import rfc3339

__all__ = ["REASONS", "history", "record"]

REASONS = frozenset({"publish", "rescan", "review", "admin"})


def record(
    session: Session,
    row: SkillVersion,
    reason: str,
    *,
    scanner: str = "",
    actor_user_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> VersionAudit:
    """Append ``row``'s current verdict, score and findings to its history (in the session)."""
    if reason not in REASONS:
        raise ValueError(f"unknown audit reason {reason!r}")
    entry = VersionAudit(
        version_id=row.id,
        reason=reason,
        verdict=row.verdict,
        audit_score=row.audit_score,
        score_breakdown=dict(row.score_breakdown or {}),
        findings=list(row.findings or []),
        scanner=scanner,
        actor_user_id=actor_user_id,
        details=details or {},
    )
    session.add(entry)
    return entry


def _entry(entry: VersionAudit, actors: dict[int, str]) -> dict[str, Any]:
    return {
        "at": rfc3339(entry.at),
        "reason": entry.reason,
        "verdict": entry.verdict,
        "audit_score": entry.audit_score,
        "score_breakdown": entry.score_breakdown,
        "findings": entry.findings,
        "scanner": entry.scanner or None,
        "actor": actors.get(entry.actor_user_id) if entry.actor_user_id else None,
        "details": entry.details,
    }


def history(session: Session, principal: Principal | None, name: str) -> dict[str, Any]:
    """Every version of ``name`` (newest first): current values, reviews and history.

    A private skill is 404 to outsiders, as everywhere. Findings of a ``fail`` version are
    shown (they explain why it is not served); its content never is. Unpublished versions
    are listed as deleted, with nothing more.
    """
    skill: Skill = visible_skill(session, principal, name)
    rows = list(session.scalars(select(SkillVersion).where(SkillVersion.skill_id == skill.id)))
    ids = [r.id for r in rows]
    entries: dict[int, list[VersionAudit]] = {i: [] for i in ids}
    reviews: dict[int, list[Review]] = {i: [] for i in ids}
    if ids:
        query = select(VersionAudit).where(VersionAudit.version_id.in_(ids))
        for entry in session.scalars(query.order_by(VersionAudit.id.desc())):
            entries[entry.version_id].append(entry)
        for review in session.scalars(
            select(Review).where(Review.version_id.in_(ids)).order_by(Review.id)
        ):
            reviews[review.version_id].append(review)
    user_ids = {e.actor_user_id for es in entries.values() for e in es if e.actor_user_id}
    user_ids |= {r.reviewer_id for rs in reviews.values() for r in rs}
    query_users = select(User.id, User.username).where(User.id.in_(user_ids))
    actors = dict(session.execute(query_users).all()) if user_ids else {}
    versions = []
    for row in sorted(rows, key=lambda r: version_key(r.version), reverse=True):
        if row.deleted_at is not None:
            versions.append({"version": row.version, "deleted": True})
            continue
        versions.append(
            {
                "version": row.version,
                "deleted": False,
                "verdict": row.verdict,
                "quarantined": row.verdict == "fail",
                "audit_score": row.audit_score,
                "score_breakdown": row.score_breakdown,
                "findings": row.findings,
                "reviews": [
                    {
                        "reviewer": actors.get(r.reviewer_id),
                        "verdict": r.verdict,
                        "comment": r.comment,
                        "at": rfc3339(r.updated_at),
                    }
                    for r in reviews[row.id]
                ],
                "history": [_entry(e, actors) for e in entries[row.id]],
            }
        )
    return {"name": skill.name, "versions": versions}
