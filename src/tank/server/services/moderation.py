"""Reports of skills by users, the moderators' queue, and quarantine by an administrator.

A report is an audit event (``skill.reported``) naming the version, the reason and the
reporter: the audit log is append-only already, so reports need no table of their own, and
the queue is the newest reports with each version's state now.

Quarantine is the registry's one way of refusing a version: its verdict becomes ``fail``,
exactly as when a scan fails (the tarball answers 451, resolvers skip it, ``tank install``
refuses it). An administrator's quarantine is recorded in the version's audit history
(reason ``admin``, with the verdict it replaced), in the audit log and in a new signed
attestation, like a rescan's. Unquarantine restores that verdict, and only for a version an
administrator quarantined: a version whose scan failed is released by a rescan, not by hand.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tank.core.errors import ValidationError
from tank.server.db.models import AuditEvent, Skill, SkillVersion, User, VersionAudit
from tank.server.errors import Conflict, Forbidden, Gone
from tank.server.services import attestations, audit, audit_history, skills
from tank.server.services.auth import Principal
from tank.server.services.publish import index_version
from tank.server.services.times import rfc3339
from tank.server.settings import Settings

__all__ = [
    "MAX_REASON", "QUEUE_SIZE", "last_action", "quarantine", "queue", "report", "unquarantine",
]  # fmt: skip

MAX_REASON = 2000
QUEUE_SIZE = 200
REPORTED = "skill.reported"


def _reason(text: str) -> str:
    reason = text.strip()
    if not reason:
        raise ValidationError(
            "a reason is required", code="no_reason", hint="say what is wrong with the skill"
        )
    if len(reason) > MAX_REASON:
        raise ValidationError(f"the reason is over {MAX_REASON} characters", code="bad_reason")
    return reason


def _version(session: Session, skill: Skill, version: str | None) -> SkillVersion:
    wanted = version or skill.latest_version
    if not wanted:
        raise Gone(f"{skill.name} has no version to act on", code="no_version")
    row = skills.find_version(session, skill, wanted)
    if row.deleted_at is not None:
        raise Gone(f"{skill.name}@{row.version} was unpublished", code="version_deleted")
    return row


def report(
    session: Session,
    principal: Principal,
    name: str,
    version: str | None,
    reason: str,
    *,
    ip: str | None = None,
) -> dict[str, Any]:
    """Record ``principal``'s report of ``name`` (at ``version``, default the latest)."""
    text = _reason(reason)
    skill = skills.visible_skill(session, principal, name)  # a hidden skill is 404
    row = _version(session, skill, version)
    details = {"name": skill.name, "version": row.version, "reason": text}
    audit.record(
        session,
        REPORTED,
        principal=principal,
        subject=f"{skill.name}@{row.version}",
        ip=ip,
        details={**details, "reporter": principal.username},
    )
    return {**details, "reported": True}


def _require_admin(principal: Principal) -> None:
    if not (principal.is_admin and principal.has_scope("admin")):
        raise Forbidden("this needs an administrator's admin token", code="admin_only")


def queue(session: Session, principal: Principal) -> list[dict[str, Any]]:
    """The newest reports (administrators only), each with its version's state now."""
    _require_admin(principal)
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == REPORTED)
        .order_by(AuditEvent.id.desc())
        .limit(QUEUE_SIZE)
    ).all()
    out = []
    for event in events:
        name, version = str(event.details.get("name", "")), str(event.details.get("version", ""))
        row = session.execute(
            select(SkillVersion.verdict, SkillVersion.deleted_at)
            .join(Skill, Skill.id == SkillVersion.skill_id)
            .where(Skill.name == name, SkillVersion.version == version)
        ).first()
        out.append(
            {
                "id": event.id,
                "at": rfc3339(event.at),
                "name": name,
                "version": version,
                "reason": event.details.get("reason", ""),
                "reporter": event.details.get("reporter"),
                "quarantined": row is not None and row.verdict == "fail",
                "deleted": row is None or row.deleted_at is not None,
            }
        )
    return out


def _locked(
    session: Session, principal: Principal, name: str, version: str
) -> tuple[Skill, SkillVersion]:
    _require_admin(principal)
    skill = skills.visible_skill(session, principal, name)
    session.scalars(select(Skill).where(Skill.id == skill.id).with_for_update()).first()
    row = _version(session, skill, version)
    session.refresh(row)
    return skill, row


def _apply(
    session: Session,
    settings: Settings,
    principal: Principal,
    skill: Skill,
    row: SkillVersion,
    verdict: str,
    details: dict[str, Any],
    ip: str | None,
) -> dict[str, Any]:
    before = row.verdict
    row.verdict = verdict
    audit_history.record(session, row, "admin", actor_user_id=principal.user_id, details=details)
    action = "skill.quarantined" if verdict == "fail" else "skill.unquarantined"
    audit.record(
        session,
        action,
        principal=principal,
        subject=f"{skill.name}@{row.version}",
        ip=ip,
        details={**details, "before": before, "after": verdict},
    )
    session.flush()
    attestations.attest(session, settings, skill, row, "admin")  # a new verdict is signed
    skills.refresh(session, skill)
    index_version(session, skill, row)
    return {"name": skill.name, "version": row.version, "verdict": verdict, "before": before}


def quarantine(
    session: Session,
    settings: Settings,
    principal: Principal,
    name: str,
    version: str,
    reason: str,
    *,
    ip: str | None = None,
) -> dict[str, Any]:
    """Quarantine ``name@version`` (administrators only): its verdict becomes ``fail``."""
    text = _reason(reason)
    skill, row = _locked(session, principal, name, version)
    if row.verdict == "fail":
        raise Conflict(f"{skill.name}@{row.version} is already quarantined", code="quarantined")
    details = {"action": "quarantine", "reason": text, "previous_verdict": row.verdict}
    return _apply(session, settings, principal, skill, row, "fail", details, ip)


def unquarantine(
    session: Session,
    settings: Settings,
    principal: Principal,
    name: str,
    version: str,
    *,
    ip: str | None = None,
) -> dict[str, Any]:
    """Give back the verdict an administrator's quarantine replaced (administrators only)."""
    skill, row = _locked(session, principal, name, version)
    last = session.scalars(
        select(VersionAudit)
        .where(VersionAudit.version_id == row.id, VersionAudit.reason != "review")
        .order_by(VersionAudit.id.desc())
        .limit(1)
    ).first()
    previous = (last.details or {}).get("previous_verdict") if last is not None else None
    by_admin = last is not None and last.reason == "admin"
    if row.verdict != "fail" or not by_admin or not isinstance(previous, str):
        raise Conflict(
            f"{skill.name}@{row.version} is not under an administrator's quarantine",
            code="not_admin_quarantined",
            hint="a version whose scan failed is released by a rescan (`tank registry rescan`)",
        )
    details = {"action": "unquarantine", "restored_verdict": previous}
    return _apply(session, settings, principal, skill, row, previous, details, ip)


def last_action(session: Session, version_id: int) -> dict[str, Any] | None:
    """The latest administrator's quarantine or unquarantine of a version (for its page):
    ``{action, reason, by, at}``, or None when no administrator acted on it."""
    found = session.execute(
        select(VersionAudit, User.username)
        .outerjoin(User, User.id == VersionAudit.actor_user_id)
        .where(VersionAudit.version_id == version_id, VersionAudit.reason == "admin")
        .order_by(VersionAudit.id.desc())
        .limit(1)
    ).first()
    if found is None:
        return None
    entry, username = found
    details = entry.details or {}
    return {
        "action": details.get("action", ""),
        "reason": details.get("reason", ""),
        "by": username,
        "at": rfc3339(entry.at),
    }
