"""The current status of many ``name@version`` at once (``POST /v1/status``).

Before installing from a lockfile the client asks whether any locked version was quarantined
or unpublished since it was locked. One skill document per skill would be a request each;
this answers the whole batch with two indexed queries (the caller's readable scopes, then
the versions joined to their skills on ``skills.name`` and ``(skill_id, version)``).

A private skill the caller may not read answers exactly like an unknown one (``None``), with
the same visibility rule as :func:`tank.server.services.skills.visible_skill`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from tank.core.errors import Problem, ValidationError
from tank.core.manifest_rules import is_package_name
from tank.server.db.models import Skill, SkillVersion, User
from tank.server.errors import ApiError
from tank.server.services.access import readable_filter
from tank.server.services.auth import Principal
from tank.server.services.skills import check_servable, normalise_version, sigstore_fields

#: The most ``name@version`` one request may ask about.
MAX_VERSIONS = 1000


def parse_keys(keys: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Each ``@scope/name@version`` key as ``(name, stored version)``; 422 listing every
    malformed key, or when there are more than :data:`MAX_VERSIONS`."""
    if len(keys) > MAX_VERSIONS:
        raise ValidationError(
            f"at most {MAX_VERSIONS} versions per request, got {len(keys)}",
            code="too_many_versions",
            hint=f"split the list into requests of {MAX_VERSIONS}",
        )
    parsed: dict[str, tuple[str, str]] = {}
    problems: list[Problem] = []
    for key in keys:
        name, _, text = key.rpartition("@")
        version = normalise_version(text) if is_package_name(name) else None
        if version is None:
            problems.append(Problem("status.key", f"{key[:200]!r} is not @scope/name@version"))
        else:
            parsed[key] = (name, version)
    if problems:
        raise ValidationError(
            f"{len(problems)} of the versions asked about are not @scope/name@version",
            code="bad_version_key",
            problems=problems[:20],
            hint='send {"versions": ["@scope/name@1.2.3", ...]}',
        )
    return parsed


def statuses(
    session: Session, principal: Principal | None, keys: Sequence[str]
) -> dict[str, dict[str, Any] | None]:
    """``{key: {verdict, audit_score, servable, yanked, deleted, publisher, signature,
    signer} | None}`` for every key
    (``None``: unknown to the registry, or private and not readable by ``principal``)."""
    parsed = parse_keys(keys)
    answer: dict[str, dict[str, Any] | None] = dict.fromkeys(keys)
    pairs = sorted(set(parsed.values()))
    if not pairs:
        return answer
    where: list[ColumnElement[bool]] = [
        tuple_(Skill.name, SkillVersion.version).in_(pairs),
        readable_filter(session, principal),
    ]
    rows = session.execute(
        select(
            Skill.name,
            SkillVersion.version,
            SkillVersion.verdict,
            SkillVersion.audit_score,
            SkillVersion.yanked,
            SkillVersion.deleted_at,
            SkillVersion.signature,
            SkillVersion.signer_keyid,
            SkillVersion.sigstore,
            User.username,
        )
        .join(SkillVersion, SkillVersion.skill_id == Skill.id)
        .join(User, User.id == SkillVersion.publisher_id)
        .where(*where)
    ).all()
    found = {(r.name, r.version): r for r in rows}
    for key, pair in parsed.items():
        row = found.get(pair)
        if row is not None:
            answer[key] = {
                "verdict": row.verdict,
                "audit_score": row.audit_score,
                "servable": _servable(row.name, row.version, row.deleted_at, row.verdict),
                "yanked": bool(row.yanked),
                "deleted": row.deleted_at is not None,
                "publisher": row.username,
                **_signature(row.signature, row.signer_keyid, row.sigstore),
            }
    return answer


def _signature(
    text: str | None, signer: str | None, sigstore: dict[str, Any] | None
) -> dict[str, Any]:
    """The publisher's verified envelope and its key, or the Sigstore signer (see
    ``skills.signature_fields``; the bundle itself is in the version document)."""
    if sigstore:
        return {"signature": None, **sigstore_fields(sigstore)}
    if signer is None or not text:
        return {"signature": None, "signer": None, "sigstore": None}
    return {"signature": json.loads(text), "signer": signer, "sigstore": None}


def _servable(name: str, version: str, deleted_at: object, verdict: str) -> bool:
    """Whether the registry serves the version's content (the rule of ``check_servable``)."""
    try:
        check_servable(name, version, deleted_at, verdict)
    except ApiError:
        return False
    return True
