"""Community security reviews: verified reviewers approve a version or voice concerns.

Rules (each refusal is a 403 with its own code):
- only users an administrator made reviewers (``tank registry grant-reviewer``) may review,
  with a token holding the ``publish`` (write) scope that may touch the skill;
- nobody reviews a skill in a scope they own or belong to, nor a version they published;
- one review per reviewer and version: posting again replaces the earlier one.

Approvals from distinct reviewers earn the version's ``community_reviews`` item (1 each, at
most 2). Every review recomputes the score, appends to the audit history and rebuilds the
skill's document, in the one transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tank.server.db.models import Review, Scope, Skill, SkillVersion, User, utcnow
from tank.server.errors import Forbidden
from tank.server.services import audit, audit_history, skills
from tank.server.services.access import role_in_scope
from tank.server.services.auth import Principal
from tank.server.services.pipeline.scoring import with_reviews
from tank.server.services.publish import index_version

__all__ = ["VERDICTS", "approvals", "submit"]

VERDICTS = ("approve", "concerns")


def approvals(session: Session, version_id: int) -> int:
    """How many distinct reviewers approve version ``version_id``."""
    query = select(func.count(func.distinct(Review.reviewer_id))).where(
        Review.version_id == version_id, Review.verdict == "approve"
    )
    return int(session.scalar(query) or 0)


def _check_reviewer(session: Session, principal: Principal, skill: Skill) -> User:
    if not principal.has_scope("publish") or not principal.may_touch(skill.name):
        raise Forbidden(
            "this token cannot write reviews of this skill",
            code="token_scope",
            hint="use a token with the 'publish' scope that is not restricted away from it",
        )
    user = session.get(User, principal.user_id)
    if user is None or not user.reviewer:
        raise Forbidden(
            "only verified reviewers may review skills",
            code="not_a_reviewer",
            hint="ask the registry administrator to make you a reviewer",
        )
    scope = session.get(Scope, skill.scope)
    if scope is not None and role_in_scope(session, scope, user.id) is not None:
        raise Forbidden(
            f"you may not review {skill.name}: you own or belong to @{skill.scope}",
            code="review_own_scope",
            hint="reviews must come from people independent of the publisher",
        )
    return user


def submit(
    session: Session,
    principal: Principal,
    name: str,
    version: str,
    verdict: str,
    comment: str,
    *,
    ip: str | None = None,
) -> dict[str, Any]:
    """Record ``principal``'s review of ``name@version``; answer the review and the new score.

    Call inside a write transaction. ``verdict`` and ``comment`` are already validated.
    """
    if verdict not in VERDICTS:
        raise ValueError(f"unknown review verdict {verdict!r}")
    skill = skills.visible_skill(session, principal, name)
    # Serialise writers of this skill (publish, other reviews) so counts and documents agree.
    session.execute(select(Skill.id).where(Skill.id == skill.id).with_for_update())
    user = _check_reviewer(session, principal, skill)
    row: SkillVersion = skills.find_version(session, skill, version)
    if row.deleted_at is not None:
        skills.servable(row, skill)  # raises Gone
    if row.publisher_id == user.id:
        raise Forbidden(
            "you may not review a version you published",
            code="review_own_scope",
            hint="reviews must come from people independent of the publisher",
        )
    review = session.scalars(
        select(Review).where(Review.version_id == row.id, Review.reviewer_id == user.id)
    ).first()
    replaced = review is not None
    if review is None:
        review = Review(version_id=row.id, reviewer_id=user.id, verdict=verdict, comment=comment)
        session.add(review)
    else:
        review.verdict, review.comment, review.updated_at = verdict, comment, utcnow()
    session.flush()
    count = approvals(session, row.id)
    score = with_reviews(row.score_breakdown or {}, count)
    row.audit_score, row.score_breakdown = score.total, score.breakdown
    details = {"reviewer": user.username, "verdict": verdict, "replaced": replaced}
    audit_history.record(session, row, "review", actor_user_id=user.id, details=details)
    audit.record(
        session,
        "skill.reviewed",
        principal=principal,
        subject=f"{skill.name}@{row.version}",
        ip=ip,
        details={**details, "approvals": count, "audit_score": score.total},
    )
    session.flush()
    skills.refresh(session, skill)
    index_version(session, skill, row)
    return {
        "name": skill.name,
        "version": row.version,
        "reviewer": user.username,
        "verdict": verdict,
        "comment": comment,
        "replaced": replaced,
        "approvals": count,
        "audit_score": row.audit_score,
        "score_breakdown": row.score_breakdown,
    }
