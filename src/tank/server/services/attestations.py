"""Registry attestations: what the registry checked about a version, signed by its key.

An attestation is a DSSE envelope over an in-toto Statement whose subject is the version's
canonical tarball (its SHA-512, name and version as annotations) and whose predicate
(:data:`PREDICATE`) records what the registry itself established, never what the client
claimed: the integrity it computed from the uploaded bytes, the scan verdict, the audit score
and its breakdown, the SBOM's digest, whether the upload re-packed to the same bytes, who
published it (for a trusted publish, the CI identity, and the digest of the version's SLSA
provenance) and whether a publisher signature came with it (a key's fingerprint, or a
Sigstore bundle's verified identity), and when. One exception is labelled as such: an
imported version's ``import`` (git URL, commit, path) is what the registry's own admin
command read from git, which the registry trusts as it trusts its administrator.

One is made at publish (its digest goes into the transparency log's leaf), and one more by
every rescan that changes the verdict (kept with the version, not logged: the log records
*what* was published; the attestations *what the registry thinks of it*, which may change).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tank.core.attestation import REGISTRY_CHECK_PREDICATE
from tank.core.signing import digest_b64, statement
from tank.server.db.models import Skill, SkillVersion, User, VersionAttestation, utcnow
from tank.server.services import provenance, registry_keys
from tank.server.services.auth import Principal
from tank.server.services.skills import find_version, visible_skill
from tank.server.services.times import rfc3339
from tank.server.settings import Settings

if TYPE_CHECKING:
    from tank.core.manifest import Manifest

__all__ = ["PREDICATE", "REASONS", "attest", "listing", "publisher_fingerprint"]

log = logging.getLogger("tank.server")

PREDICATE = REGISTRY_CHECK_PREDICATE
REASONS = frozenset({"publish", "rescan", "backfill", "admin"})


def publisher_fingerprint(row: SkillVersion) -> str | None:
    """The key fingerprint of the version's *verified* publisher signature (the ``sign``
    stage verified it at publish), the Sigstore signer of a verified bundle
    (``sigstore:<issuer>#<repo>@<workflow>``), or None: unsigned. A signature stored before
    the registry verified them has no signer, so nothing unverified is ever attested or
    logged."""
    if row.sigstore:
        signer = row.sigstore.get("signer")
        return signer if isinstance(signer, str) else None
    return row.signer_keyid if row.signature else None


def _signature(row: SkillVersion) -> dict[str, Any]:
    """The predicate's ``signature``: whether one was verified, by what, and for a Sigstore
    bundle what its certificate and log entry said (the bundle's digest names it)."""
    if row.sigstore:
        return {
            "present": True,
            "kind": "sigstore",
            "fingerprint": publisher_fingerprint(row),
            "sigstore": {
                "identity": row.sigstore.get("identity"),
                "bundle_digest": row.sigstore.get("digest"),
            },
        }
    return {
        "present": bool(row.signature),
        "kind": "ed25519" if publisher_fingerprint(row) else None,
        "fingerprint": publisher_fingerprint(row),
    }


def sbom_digest(
    files: dict[str, bytes], manifest: Manifest | None, integrity: str, published_at: datetime
) -> dict[str, str] | None:
    """``{"format", "revision", "sha256"}`` of the CycloneDX SBOM that ``GET .../sbom``
    serves for the version (built from the same inputs, so the same bytes); None when it
    cannot be built (the attestation then says so rather than inventing one)."""
    from tank.core.sbom import SBOM_REVISION, build_sbom

    if manifest is None:
        return None
    try:
        sbom = build_sbom(files, manifest, integrity=integrity, published_at=published_at)
    except Exception:
        log.exception("could not build an SBOM for an attestation")
        return None
    digest = hashlib.sha256(sbom.to_json()).hexdigest()
    return {"format": "CycloneDX", "revision": str(SBOM_REVISION), "sha256": digest}


def last_sbom(session: Session, version_id: int) -> dict[str, str] | None:
    """The SBOM digest the version's latest attestation recorded (its bytes never change)."""
    query = (
        select(VersionAttestation)
        .where(VersionAttestation.version_id == version_id)
        .order_by(VersionAttestation.id.desc())
        .limit(1)
    )
    found = session.scalars(query).first()
    if found is None:
        return None
    try:
        payload = json.loads(base64.b64decode(found.envelope["payload"]))
        sbom = payload["predicate"]["sbom"]
    except (KeyError, TypeError, ValueError):
        return None
    return sbom if isinstance(sbom, dict) else None


def attest(
    session: Session,
    settings: Settings,
    skill: Skill,
    row: SkillVersion,
    reason: str,
    *,
    scanner: str = "",
    sbom: dict[str, str] | None = None,
) -> VersionAttestation:
    """Sign and store an attestation of ``row`` as it stands now (in the caller's write
    transaction; ``row`` must be flushed)."""
    if reason not in REASONS:
        raise ValueError(f"unknown attestation reason {reason!r}")
    signer = registry_keys.active_signer(session, settings)
    publisher = session.get(User, row.publisher_id)
    # A version a trusted publisher (CI) uploaded: its publisher identity is the CI job's,
    # and its SLSA provenance is named by digest (every later attestation names it too).
    slsa = provenance.reference(provenance.for_version(session, row.id))
    predicate: dict[str, Any] = {
        "registry": settings.public_url,
        "reason": reason,
        "checked_at": rfc3339(utcnow()),
        "published_at": rfc3339(row.published_at),
        # The registry hashed the uploaded bytes itself: this is its digest, not a claim.
        "integrity": row.integrity,
        "verdict": row.verdict,
        "audit_score": row.audit_score,
        "score_breakdown": row.score_breakdown,
        "findings": len(row.findings or []),
        "scanner": scanner or None,
        "sbom": sbom,
        "reproducible": row.reproducible,
        "publisher": {
            "username": publisher.username if publisher else None,
            "verified": bool(publisher and publisher.verified),
            "trusted_publisher": slsa["trusted_publisher"] if slsa else None,
        },
        "provenance": (
            {"predicate_type": slsa["predicate_type"], "digest": slsa["digest"]} if slsa else None
        ),
        "signature": _signature(row),
        # A version ``tank registry import`` mirrored from git: the source URL, commit and
        # path it was read from, and the admin account that imported it (None otherwise).
        "import": row.source,
    }
    envelope = signer.sign_statement(
        statement(skill.name, row.version, row.integrity, PREDICATE, predicate)
    )
    entry = VersionAttestation(
        version_id=row.id,
        reason=reason,
        keyid=signer.public.keyid,
        digest=digest_b64(envelope),
        envelope=envelope,
    )
    session.add(entry)
    session.flush()
    return entry


def listing(
    session: Session, principal: Principal | None, name: str, version: str
) -> dict[str, Any]:
    """Every attestation of ``name@version``, oldest first (a private skill is 404 to
    outsiders; an unpublished or quarantined version still shows what was attested)."""
    skill = visible_skill(session, principal, name)
    row = find_version(session, skill, version)
    query = (
        select(VersionAttestation)
        .where(VersionAttestation.version_id == row.id)
        .order_by(VersionAttestation.id)
    )
    return {
        "name": skill.name,
        "version": row.version,
        "predicate_type": PREDICATE,
        "keys": "/v1/registry/keys",
        "attestations": [
            {
                "reason": a.reason,
                "keyid": a.keyid,
                "digest": a.digest,
                "created_at": rfc3339(a.created_at),
                "envelope": a.envelope,
            }
            for a in session.scalars(query)
        ],
    }
