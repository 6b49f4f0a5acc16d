"""The publish gate of enforced semver: refuse a version number too small for its changes.

The new version is compared with its *predecessor*: the highest existing version of the skill
below it, unpublished, yanked and failed ones included (the history counts, and a deleted
number must not become a way around the gate). Prereleases of one release are one release in
the making, so a predecessor with the same ``major.minor.patch`` as the new version is
skipped for the highest version of a lower release: ``1.0.1-rc.2`` cannot smuggle network
access into ``1.0.1`` past ``1.0.0``. A first version (or a first release line) is not checked.

:func:`check` runs twice: in the publish precheck, before the blob is written (the early,
cheap refusal), and again in the store transaction under the skill's row lock, where the set
of versions cannot change underneath it (a predecessor published concurrently is seen).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tank.core.bump import BumpCheck, BumpLevel, BumpRequirement, check_bump, required_bump
from tank.core.errors import ValidationError
from tank.core.semver import Version, parse_version
from tank.core.versiondiff import manifest_of
from tank.server.db.models import Skill, SkillVersion
from tank.server.services.pipeline import Candidate

__all__ = ["check", "predecessor"]


def predecessor(versions: Iterable[Version], new: Version) -> Version | None:
    """The version ``new`` is checked against (see the module docs), or None for a first."""
    lower = [v for v in versions if v.release < new.release]
    return max(lower) if lower else None


def _versions(session: Session, name: str) -> list[Version]:
    rows = session.scalars(
        select(SkillVersion.version)
        .join(Skill, Skill.id == SkillVersion.skill_id)
        .where(Skill.name == name)
    )
    return [parse_version(text) for text in rows]


def _requirement(session: Session, candidate: Candidate, base: Version) -> BumpRequirement:
    raw = session.scalars(
        select(SkillVersion.manifest)
        .join(Skill, Skill.id == SkillVersion.skill_id)
        .where(Skill.name == candidate.name, SkillVersion.version == str(base))
    ).first()
    assert candidate.manifest is not None  # validate ran
    try:
        old = manifest_of(raw, label=f"{candidate.name}@{base}")
    except ValidationError:
        # Fail closed: with nothing sound to compare against, any change may break.
        reason = f"the manifest of {base} can no longer be read, so every change counts as major"
        return BumpRequirement(BumpLevel.MAJOR, (reason,))
    return required_bump(old, candidate.manifest)


def check(session: Session, candidate: Candidate) -> dict[str, Any] | None:
    """Refuse ``candidate`` when its bump is too small; else return what was checked.

    Raises :class:`ValidationError` (HTTP 422, code ``semver_bump_required``) naming both
    versions, the bump needed, every reason, and the version to publish instead. Returns
    ``{"predecessor", "required", "actual", "reasons"}`` for the audit log, or None for a
    version with no predecessor.
    """
    new = parse_version(candidate.version)
    existing = _versions(session, candidate.name)
    base = predecessor(existing, new)
    if base is None:
        return None
    requirement = _requirement(session, candidate, base)
    verdict = check_bump(base, new, requirement)
    if not verdict.ok:
        raise _refusal(candidate, base, verdict, requirement, existing)
    return {
        "predecessor": str(base),
        "required": requirement.level.text,
        "actual": verdict.actual.text,
        "reasons": list(requirement.reasons),
    }


def _refusal(
    candidate: Candidate,
    base: Version,
    verdict: BumpCheck,
    requirement: BumpRequirement,
    existing: list[Version],
) -> ValidationError:
    new, suggested = parse_version(candidate.version), verdict.suggested
    level = requirement.level.label
    reasons = "; ".join(requirement.reasons)
    hint = f'set "version": "{suggested}" in skills.json and publish again'
    if suggested in existing:
        hint += (
            f" ({suggested} is taken: choose a free {level} version above {base}, "
            f"or keep the {base} line without these changes)"
        )
    return ValidationError(
        f"{candidate.name}@{new} needs a {level} bump from {base}: {new} {reasons}: "
        f"publish it as {suggested} ({level})",
        code="semver_bump_required",
        hint=hint,
        detail=f"required bump: {requirement.level.text}; actual bump: {verdict.actual.text}",
    )
