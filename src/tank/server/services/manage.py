"""Changing published skills: unpublish (within a window), yank/unyank, dist-tags.

None of these ever frees a version number or changes a version's bytes. Every change
rebuilds the skill's document and records an audit event in the same transaction.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tank.core.errors import ValidationError
from tank.core.semver import parse_range, parse_version
from tank.server.db.models import Dependency, DistTag, Skill, SkillVersion, as_utc, utcnow
from tank.server.errors import Conflict, Gone
from tank.server.services import audit, search, skills
from tank.server.services.access import check_publish
from tank.server.services.auth import Principal
from tank.server.settings import Settings

_TAG = re.compile(r"[a-z][a-z0-9._-]{0,63}")


def _target(
    session: Session, settings: Settings, principal: Principal, name: str, version: str
) -> tuple[Skill, SkillVersion]:
    """The skill and version a publisher of its scope wants to change (locked for update)."""
    skill = skills.visible_skill(session, principal, name)  # outsiders get 404, not 403
    check_publish(session, principal, skill.name)
    session.scalars(select(Skill).where(Skill.id == skill.id).with_for_update()).first()
    row = skills.find_version(session, skill, version)
    if row.deleted_at is not None:
        raise Gone(f"{skill.name}@{row.version} was already unpublished", code="version_deleted")
    return skill, row


def dependents(session: Session, name: str, version: str) -> list[str]:
    """Live versions of other *public* skills whose range for ``name`` admits ``version``.

    npm's rule: only public dependents block an unpublish. A private dependent is never
    counted and never named, whoever asks: counting it would let anyone who can publish a
    private skill veto someone else's unpublish, and naming it would tell the caller that a
    skill they may not see exists (with its version and range). A private dependent's owner
    takes the risk of depending on a version that can be unpublished within the window, as
    on npm; lockfiles of public dependents are what the veto protects.
    """
    target = parse_version(version)
    rows = session.execute(
        select(Skill.name, SkillVersion.version, Dependency.range)
        .join(SkillVersion, SkillVersion.id == Dependency.version_id)
        .join(Skill, Skill.id == SkillVersion.skill_id)
        .where(
            Dependency.dependency_name == name,
            Skill.private.is_(False),
            SkillVersion.deleted_at.is_(None),
            Skill.name != name,
        )
    )
    found = []
    for dep_name, dep_version, text in rows:
        try:
            admits = parse_range(text).contains(target)
        except ValidationError:
            admits = True  # unreadable range: be safe, count it as depending
        if admits:
            found.append(f"{dep_name}@{dep_version} ({text})")
    return sorted(found)


def unpublish(
    session: Session,
    settings: Settings,
    principal: Principal,
    name: str,
    version: str,
    *,
    ip: str | None = None,
) -> None:
    """Mark ``name@version`` deleted: only soon after publishing, and only if no public skill
    uses it (see :func:`dependents`)."""
    skill, row = _target(session, settings, principal, name, version)
    window = timedelta(hours=settings.unpublish_window_hours)
    age = datetime.now(UTC) - as_utc(row.published_at)
    if age > window:
        raise Conflict(
            f"{skill.name}@{row.version} was published {age.days} days "
            f"{age.seconds // 3600} hours ago; unpublishing is allowed for "
            f"{settings.unpublish_window_hours} hours",
            code="unpublish_window",
            hint="yank the version instead: it stays installable from lockfiles, "
            "but no new install picks it",
        )
    users = dependents(session, skill.name, row.version)
    if users:
        raise Conflict(
            f"{skill.name}@{row.version} is used by {', '.join(users[:10])}"
            + (f" and {len(users) - 10} more" if len(users) > 10 else ""),
            code="has_dependents",
            hint="yank the version instead, or ask the dependents to move to another version",
        )
    row.deleted_at = utcnow()
    session.flush()
    skills.refresh(session, skill)
    _reindex(session, skill)
    audit.record(
        session, "skill.deleted", principal=principal, subject=f"{skill.name}@{row.version}", ip=ip
    )


def set_yanked(
    session: Session,
    settings: Settings,
    principal: Principal,
    name: str,
    version: str,
    *,
    yanked: bool,
    reason: str | None = None,
    ip: str | None = None,
) -> SkillVersion:
    """Yank (or unyank) ``name@version``: still downloadable, never chosen for a new range."""
    skill, row = _target(session, settings, principal, name, version)
    row.yanked = yanked
    row.yank_reason = reason if yanked else None
    session.flush()
    skills.refresh(session, skill)
    _reindex(session, skill)
    audit.record(
        session,
        "skill.yanked" if yanked else "skill.unyanked",
        principal=principal,
        subject=f"{skill.name}@{row.version}",
        ip=ip,
        details={"reason": reason} if yanked else {},
    )
    return row


def set_dist_tag(
    session: Session,
    settings: Settings,
    principal: Principal,
    name: str,
    tag: str,
    version: str | None,
    *,
    ip: str | None = None,
) -> dict[str, str]:
    """Point ``tag`` at ``version`` (None removes it); ``latest`` is managed by the registry."""
    _check_tag(tag)
    skill = skills.visible_skill(session, principal, name)
    check_publish(session, principal, skill.name)
    existing = session.scalars(
        select(DistTag).where(DistTag.skill_id == skill.id, DistTag.tag == tag)
    ).first()
    if version is None:
        if existing is not None:
            session.delete(existing)
    else:
        row = skills.servable(skills.find_version(session, skill, version), skill)
        if existing is None:
            session.add(DistTag(skill_id=skill.id, tag=tag, version=row.version))
        else:
            existing.version = row.version
    session.flush()
    skills.refresh(session, skill)
    audit.record(
        session,
        "skill.dist_tag",
        principal=principal,
        subject=skill.name,
        ip=ip,
        details={"tag": tag, "version": version},
    )
    tags = session.scalars(select(DistTag).where(DistTag.skill_id == skill.id))
    return {t.tag: t.version for t in tags}


def _check_tag(tag: str) -> None:
    if tag == "latest":
        raise Conflict(
            "the 'latest' tag is managed by the registry",
            code="tag_reserved",
            hint="latest is the highest live release; yank a version to move it back",
        )
    if not _TAG.fullmatch(tag):
        raise ValidationError(
            f"{tag!r} is not a valid tag",
            code="tag_invalid",
            hint="use a lower-case word such as 'beta' or 'next' (a-z, 0-9, '.', '_', '-')",
        )


def _reindex(session: Session, skill: Skill) -> None:
    """Keep search in step with a change of the skill's live versions."""
    search.reindex(session, skill)  # indexes the latest visible version, or drops the skill
