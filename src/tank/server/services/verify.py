"""Batch verification of ``{name, version, integrity}`` items (``POST /v1/verify``).

For CI and the web UI: is each version known here, does the integrity a lockfile recorded
match the one the registry computed at publish, what is its verdict, was it quarantined,
yanked or unpublished, and what signature and attestation the registry holds for it. The
whole batch costs two indexed queries, as ``POST /v1/status`` does, with the same
visibility rule (a private skill the caller may not read answers exactly like an unknown one).

``attestation`` is the version's latest registry attestation (the one a rescan that changed
the verdict made, else the publish one): its digest, the registry key that signed it, why it
was made, and the version's transparency-log index; ``None`` for a version with none (one
published before the registry had a key and not backfilled). The envelopes themselves are at
``GET /v1/skills/@scope/name/VERSION/attestations``. ``signature`` reports the publisher
signature verified at publish (:func:`signature_of`); text an older client sent before the
registry verified signatures is not reported as one.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from tank.core.errors import IntegrityError, Problem, ValidationError
from tank.core.integrity import parse_sri
from tank.core.manifest_rules import is_package_name
from tank.server.db.models import LogLeaf, Skill, SkillVersion, VersionAttestation
from tank.server.services.access import readable_filter
from tank.server.services.auth import Principal
from tank.server.services.skills import normalise_version

#: The most items one request may verify (the JSON body limit bounds their size too).
MAX_ITEMS = 1000


@dataclass(frozen=True, slots=True)
class Item:
    """One thing to verify: a version and the integrity a lockfile (or a CI job) holds."""

    name: str
    version: str
    integrity: str


def parse_items(items: Sequence[Item]) -> list[tuple[str, str, bytes]]:
    """Each item as ``(name, stored version, sha512 digest)``; 422 listing every malformed
    item, or when there are more than :data:`MAX_ITEMS`."""
    if len(items) > MAX_ITEMS:
        raise ValidationError(
            f"at most {MAX_ITEMS} items per request, got {len(items)}",
            code="too_many_items",
            hint=f"split the list into requests of {MAX_ITEMS}",
        )
    parsed: list[tuple[str, str, bytes]] = []
    problems: list[Problem] = []
    for index, item in enumerate(items):
        where = f"items[{index}]"
        version = normalise_version(item.version) if is_package_name(item.name) else None
        if version is None:
            shown = f"{item.name[:200]!r} {item.version[:100]!r}"
            problems.append(Problem("verify.item", f"{where}: {shown} is not a name and version"))
            continue
        try:
            algorithm, digest = parse_sri(item.integrity)
        except IntegrityError as bad:
            problems.append(Problem("verify.integrity", f"{where}: {bad.message}"))
            continue
        if algorithm != "sha512":
            message = f"{where}: the registry records sha512 integrity, not {algorithm}"
            problems.append(Problem("verify.integrity", message))
            continue
        parsed.append((item.name, version, digest))
    if problems:
        raise ValidationError(
            f"{len(problems)} of the items are malformed",
            code="bad_verify_item",
            problems=problems[:20],
            hint='send {"items": [{"name": "@scope/name", "version": "1.2.3", '
            '"integrity": "sha512-…"}, ...]}',
        )
    return parsed


def verify_items(
    session: Session, principal: Principal | None, items: Sequence[Item]
) -> list[dict[str, Any]]:
    """One result per item, in order (see the module docs and the API's ``VerifyResult``)."""
    parsed = parse_items(items)
    pairs = sorted({(name, version) for name, version, _ in parsed})
    rows = {}
    if pairs:
        found = session.execute(
            select(Skill.name, SkillVersion)
            .join(SkillVersion, SkillVersion.skill_id == Skill.id)
            .where(
                tuple_(Skill.name, SkillVersion.version).in_(pairs),
                readable_filter(session, principal),
            )
        ).all()
        rows = {(name, row.version): row for name, row in found}
    attested = attestations_of(session, [row.id for row in rows.values()])
    results = []
    for item, (name, version, digest) in zip(items, parsed, strict=True):
        row = rows.get((name, version))
        attestation = attested.get(row.id) if row is not None else None
        results.append(_result(item, version, digest, row, attestation))
    return results


def _result(
    item: Item,
    version: str,
    digest: bytes,
    row: SkillVersion | None,
    attestation: dict[str, Any] | None,
) -> dict[str, Any]:
    base: dict[str, Any] = {"name": item.name, "version": version, "integrity": item.integrity}
    if row is None:
        return {
            **base,
            "known": False,
            "integrity_match": None,
            "verdict": None,
            "audit_score": None,
            "quarantined": None,
            "yanked": None,
            "deleted": None,
            "signature": None,
            "attestation": None,
            "ok": False,
        }
    _, stored = parse_sri(row.integrity)
    match = hmac.compare_digest(stored, digest)
    quarantined = row.verdict == "fail"
    deleted = row.deleted_at is not None
    return {
        **base,
        "known": True,
        "integrity_match": match,
        "verdict": row.verdict,
        "audit_score": row.audit_score,
        "quarantined": quarantined,
        "yanked": bool(row.yanked),
        "deleted": deleted,
        "signature": signature_of(row),
        "attestation": attestation,
        "ok": match and not quarantined and not deleted,
    }


def signature_of(row: SkillVersion) -> dict[str, Any] | None:
    """The publisher signature the registry verified for ``row`` at publish (the ``sign``
    stage: an Ed25519 key registered to the publisher, or a Sigstore bundle matching a
    trusted publisher), or ``None``: unsigned, or text an
    older client sent that nothing verified (shape: ``{"verified", "kind", "fingerprint",
    "identity"}``)."""
    if row.sigstore:  # a Sigstore bundle: the certificate's digest and the trusted publisher
        identity = row.sigstore.get("identity") or {}
        return {
            "verified": True,
            "kind": "sigstore",
            "fingerprint": identity.get("certificate_sha256"),
            "identity": row.sigstore.get("signer"),
        }
    if row.signer_keyid is None or not row.signature:
        return None
    return {"verified": True, "kind": "ed25519", "fingerprint": row.signer_keyid, "identity": None}


def attestations_of(session: Session, version_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """``{version id: {"digest", "key", "reason", "log_index"}}`` of the latest attestation of
    each version that has one (two indexed queries for the whole batch)."""
    if not version_ids:
        return {}
    latest: dict[int, VersionAttestation] = {}
    query = (
        select(VersionAttestation)
        .where(VersionAttestation.version_id.in_(version_ids))
        .order_by(VersionAttestation.id)
    )
    for attestation in session.scalars(query):
        latest[attestation.version_id] = attestation  # later ids win: rescans come after
    leaves = session.execute(
        select(LogLeaf.version_id, LogLeaf.idx).where(LogLeaf.version_id.in_(version_ids))
    ).all()
    index: dict[int | None, int] = {row.version_id: row.idx for row in leaves}
    return {
        version_id: {
            "digest": a.digest,
            "key": a.keyid,
            "reason": a.reason,
            "log_index": index.get(version_id),
        }
        for version_id, a in latest.items()
    }
