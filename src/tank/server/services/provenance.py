"""SLSA provenance of versions published through trusted publishing.

When the publishing token is a trusted publisher's short-lived one, the publish transaction
stores, next to the registry attestation, a DSSE envelope over an in-toto Statement about
the same tarball with predicate ``https://slsa.dev/provenance/v1``, written from the CI
job's *verified* OIDC claims (repository, ref, commit, workflow, run) and signed by the
registry key. The attestation names it (its digest and the CI identity), so one verified
attestation leads to the provenance. It is made once and never changed.

What it vouches for: that a job of that repository's workflow, at that commit, holding a
valid OIDC token, uploaded these bytes. Not that the bytes were *built* from that commit:
the job could upload anything (see docs/security.md).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tank.core.signing import digest_b64, statement
from tank.core.trusted_publishing import SLSA_PROVENANCE, CiIdentity, ClaimsRefused, slsa_predicate
from tank.server.db.models import Skill, SkillVersion, Token, VersionProvenance
from tank.server.errors import Forbidden, NotFound
from tank.server.services import registry_keys
from tank.server.services.auth import TRUSTED_PUBLISH_SCOPE, Principal
from tank.server.services.skills import find_version, visible_skill
from tank.server.services.times import rfc3339
from tank.server.settings import Settings

__all__ = ["document", "for_version", "record", "reference"]


def _ci_of(session: Session, principal: Principal) -> tuple[CiIdentity, int | None] | None:
    """The CI identity behind a trusted publisher's token (None for any other token)."""
    if TRUSTED_PUBLISH_SCOPE not in principal.scopes:
        return None
    token = session.get(Token, principal.token_id)
    try:
        if token is None or not token.ci_identity:
            raise ClaimsRefused("no CI identity")
        return CiIdentity.from_dict(token.ci_identity), token.trusted_publisher_id
    except ClaimsRefused:
        # A trusted-publish token without a usable identity cannot publish: no provenance,
        # no version (fail closed rather than publish a version that claims none).
        raise Forbidden(
            "this trusted publisher token has no CI identity",
            code="trusted_publisher_stale",
            hint="exchange a new OIDC token",
        ) from None


def record(
    session: Session, settings: Settings, principal: Principal, skill: Skill, row: SkillVersion
) -> VersionProvenance | None:
    """Sign and store the provenance of ``row`` when ``principal`` is a trusted publisher
    (in the publish transaction, before the attestation that names it)."""
    found = _ci_of(session, principal)
    if found is None:
        return None
    ci, publisher_id = found
    signer = registry_keys.active_signer(session, settings)
    predicate = slsa_predicate(
        ci,
        registry=settings.public_url,
        trusted_publisher_id=publisher_id or 0,
        published_at=rfc3339(row.published_at),
    )
    envelope = signer.sign_statement(
        statement(skill.name, row.version, row.integrity, SLSA_PROVENANCE, predicate)
    )
    entry = VersionProvenance(
        version_id=row.id,
        trusted_publisher_id=publisher_id,
        identity=ci.as_dict(),
        keyid=signer.public.keyid,
        digest=digest_b64(envelope),
        envelope=envelope,
    )
    session.add(entry)
    session.flush()
    return entry


def for_version(session: Session, version_id: int) -> VersionProvenance | None:
    """The stored provenance of a version, if it was published by a trusted publisher."""
    query = select(VersionProvenance).where(VersionProvenance.version_id == version_id)
    return session.scalars(query).first()


def reference(found: VersionProvenance | None) -> dict[str, Any] | None:
    """What a registry attestation says about the provenance: its type, digest and the
    CI identity (the publisher identity of a trusted publish)."""
    if found is None:
        return None
    identity = found.identity
    return {
        "predicate_type": SLSA_PROVENANCE,
        "digest": found.digest,
        "trusted_publisher": {
            "issuer": identity.get("issuer"),
            "repository": identity.get("repository"),
            "workflow_ref": identity.get("workflow_ref"),
            "environment": identity.get("environment"),
            "ref": identity.get("ref"),
            "sha": identity.get("sha"),
        },
    }


def document(
    session: Session, principal: Principal | None, name: str, version: str
) -> dict[str, Any]:
    """``GET .../{version}/provenance``: the signed provenance (same visibility as the
    version's attestations; 404 ``no_provenance`` for a version published otherwise)."""
    skill = visible_skill(session, principal, name)
    row = find_version(session, skill, version)
    found = for_version(session, row.id)
    if found is None:
        raise NotFound(
            f"{skill.name}@{row.version} was not published through trusted publishing",
            code="no_provenance",
            hint="only versions uploaded by a trusted publisher (CI) carry SLSA provenance",
        )
    return {
        "name": skill.name,
        "version": row.version,
        "predicate_type": SLSA_PROVENANCE,
        "keys": "/v1/registry/keys",
        "keyid": found.keyid,
        "digest": found.digest,
        "created_at": rfc3339(found.created_at),
        "envelope": found.envelope,
    }
