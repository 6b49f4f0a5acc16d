"""Publishing: run the in-memory stages, then ``store`` — blob first, metadata in one commit.

The order is what makes a crash harmless. The blob is content-addressed and written before
the transaction: if anything fails afterwards the transaction rolls back, no version row
points at the blob, and ``tank registry gc`` reclaims it once its grace period is over. A
version row therefore never exists without its blob.

Concurrency: the unique constraints do the arbitration. Two publishes creating a new skill
race on its row; the loser's transaction fails with an
IntegrityError and is simply retried (the row now exists). Two publishes of the *same*
version race on ``(skill_id, version)``: exactly one insert wins and the others answer 409.
Publishes of one skill are serialised on its row (``SELECT ... FOR UPDATE``) so the
pre-serialised document always lists every committed version.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from tank.core.errors import Problem, ValidationError
from tank.core.signing import PublicKey
from tank.core.trusted_publishing import TrustedIdentity, sigstore_signer
from tank.server.context import Registry
from tank.server.db.engine import write_session
from tank.server.db.models import Dependency, Skill, SkillVersion, User, utcnow
from tank.server.errors import Conflict
from tank.server.faults import fault_of
from tank.server.services import (
    attestations,
    audit,
    audit_history,
    keys,
    provenance,
    publish_deps,
    search,
    semver_gate,
    skills,
    translog,
    trusted_publishers,
)
from tank.server.services.access import check_publish
from tank.server.services.auth import Principal
from tank.server.services.pipeline import Candidate, ScanFailed, Upload, finish_score, run_stages
from tank.server.services.pipeline.config import options_for

_ATTEMPTS = 6


def checkpoint(name: str) -> None:
    """A named point between ``store``'s steps; a no-op that tests replace to inject faults."""


def publish(
    reg: Registry,
    principal: Principal,
    upload: Upload,
    *,
    ip: str | None = None,
    source: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Publish ``upload`` as ``principal``; return the new version's document.

    ``source`` is the provenance of an import (``tank registry import``): stored with the
    version and recorded in its attestation.
    """
    signing_keys: list[PublicKey] = []
    revoked: frozenset[str] = frozenset()
    if upload.signature:  # the keys a signature may verify against: the publisher's, live
        with reg.sessions() as session:
            signing_keys = keys.active_keys(session, principal.user_id)
            revoked = keys.revoked_keyids(session, principal.user_id)

    def trusted_for(name: str) -> list[TrustedIdentity]:
        with reg.sessions() as session:
            return trusted_publishers.identities(session, name)

    try:
        candidate = run_stages(
            upload,
            options=options_for(reg.settings),
            publisher_keys=signing_keys,
            revoked_keyids=revoked,
            trusted_for=trusted_for,
        )
    except ScanFailed as error:
        _record_refusal(reg, principal, error, ip)
        raise
    with reg.sessions() as session:
        warnings = _precheck(session, reg, principal, candidate)
    # store: blob first (idempotent, content-addressed), then one transaction.
    key = reg.blobs.put(candidate.data)
    checkpoint("after_blob")
    # The publish time and the SBOM's digest (for the attestation) are settled outside the
    # transaction: building an SBOM must not hold the log's lock.
    published_at = utcnow()
    sbom = attestations.sbom_digest(
        candidate.file_map, candidate.manifest, candidate.integrity, published_at
    )
    for attempt in range(_ATTEMPTS):
        try:
            with write_session(reg.sessions) as session:
                skill, row = _store(session, reg, principal, candidate, key, ip, published_at)
                row.source = source
                provenance.record(session, reg.settings, principal, skill, row)
                _attest_and_log(session, reg, skill, row, candidate.scanner, sbom)
                checkpoint("before_commit")
            break
        except (IntegrityError, OperationalError) as error:
            fault = fault_of(error, database_path=reg.database_path)
            if fault is not None:  # a full disk or a held lock: retrying here cannot help
                raise fault from error
            with reg.sessions() as session:
                if _version_row(session, candidate) is not None:
                    raise _taken(candidate) from error
            if attempt == _ATTEMPTS - 1:
                raise Conflict(
                    f"could not store {candidate.name}@{candidate.version}: too much contention",
                    code="publish_busy",
                    hint="retry the publish",
                ) from error
    with reg.sessions() as session:
        answer = skills.version_document(session, skill, row)
    if warnings:
        answer["warnings"] = [w.as_dict() for w in warnings]
    return answer


def _record_refusal(reg: Registry, principal: Principal, error: ScanFailed, ip: str | None) -> None:
    """Audit a publish the scan refused (nothing else of it is stored); best effort."""
    try:
        with write_session(reg.sessions) as session:
            audit.record(
                session,
                "skill.publish_refused",
                principal=principal,
                subject=error.subject,
                ip=ip,
                details={"code": error.code, "message": error.message[:1000]},
            )
    except (IntegrityError, OperationalError):
        pass  # the refusal stands either way


def _taken(candidate: Candidate) -> Conflict:
    return Conflict(
        f"{candidate.name}@{candidate.version} already exists",
        code="version_exists",
        hint="published versions are immutable (even unpublished numbers stay taken); "
        "bump the version in skills.json and publish again",
    )


def _version_row(session: Session, candidate: Candidate) -> SkillVersion | None:
    return session.scalars(
        select(SkillVersion)
        .join(Skill, Skill.id == SkillVersion.skill_id)
        .where(Skill.name == candidate.name, SkillVersion.version == candidate.version)
    ).first()


def _precheck(
    session: Session, reg: Registry, principal: Principal, candidate: Candidate
) -> list[Problem]:
    """Refuse early, before any blob is written: access to the scope, a taken version, a
    dependency nobody could install. Return the dependency warnings."""
    try:
        check_publish(session, principal, candidate.name, new_version=True)
    finally:
        session.rollback()
    if _version_row(session, candidate) is not None:
        raise _taken(candidate)
    semver_gate.check(session, candidate)  # early: refuse a too-small bump before the blob
    return publish_deps.check(
        session,
        principal,
        candidate.name,
        candidate.dependencies,
        private_upload=candidate.upload.private,
    )


def _store(
    session: Session,
    reg: Registry,
    principal: Principal,
    candidate: Candidate,
    key: str,
    ip: str | None,
    published_at: datetime,
) -> tuple[Skill, SkillVersion]:
    scope = check_publish(session, principal, candidate.name, new_version=True)
    query = select(Skill).where(Skill.name == candidate.name).with_for_update()
    skill = session.scalars(query).first()
    created = skill is None
    if skill is None:
        skill = Skill(
            name=candidate.name,
            scope=scope.name,
            private=bool(candidate.upload.private),
            description=candidate.skill.description if candidate.skill else "",
        )
        session.add(skill)
        session.flush()
    if _version_row(session, candidate) is not None:
        raise _taken(candidate)
    semver = semver_gate.check(session, candidate)  # again under the row lock: race-safe
    _check_signer(session, principal, candidate)
    publisher = session.get(User, principal.user_id)
    finish_score(candidate, verified_publisher=bool(publisher and publisher.verified), approvals=0)
    row = SkillVersion(
        skill_id=skill.id,
        version=candidate.version,
        integrity=candidate.integrity,
        blob_key=key,
        size=len(candidate.data),
        unpacked_size=candidate.unpacked_size,
        manifest=candidate.manifest.to_json() if candidate.manifest else {},
        skill_md=candidate.skill_md,
        description=candidate.skill.description if candidate.skill else "",
        files=[f.as_dict() for f in candidate.files],
        permissions=candidate.permissions,
        dependencies=candidate.dependencies,
        verdict=candidate.verdict,
        audit_score=candidate.audit_score,
        score_breakdown=candidate.score_breakdown,
        findings=candidate.findings,
        reproducible=candidate.reproducible,
        signature=candidate.signature,
        signer_keyid=candidate.signer_keyid,
        sigstore=candidate.sigstore.as_json() if candidate.sigstore else None,
        publisher_id=principal.user_id,
        published_at=published_at,
    )
    session.add(row)
    session.flush()
    session.add_all(
        Dependency(version_id=row.id, dependency_name=dep, range=rng)
        for dep, rng in candidate.dependencies.items()
    )
    audit_history.record(
        session, row, "publish", scanner=candidate.scanner, actor_user_id=principal.user_id
    )
    skills.refresh(session, skill)
    index_version(session, skill, row)
    audit.record(
        session,
        "skill.published",
        principal=principal,
        subject=f"{skill.name}@{row.version}",
        ip=ip,
        details={
            "integrity": row.integrity,
            "reproducible": row.reproducible,
            "verdict": row.verdict,
            "new_skill": created,
            "semver": semver,
            "signer_keyid": candidate.signer_keyid,
            "sigstore_signer": candidate.sigstore.signer if candidate.sigstore else None,
        },
    )
    return skill, row


def _check_signer(session: Session, principal: Principal, candidate: Candidate) -> None:
    """Refuse when the signing key was revoked (or the trusted publisher a Sigstore bundle
    matched was removed) while the stages ran: checked in the write transaction, so a
    revocation that committed first always wins."""
    if candidate.sigstore is not None:
        live = {sigstore_signer(t) for t in trusted_publishers.identities(session, candidate.name)}
        if candidate.sigstore.signer not in live:
            raise ValidationError(
                f"the Sigstore bundle of {candidate.name}@{candidate.version} was refused: "
                "the trusted publisher it matched was removed while publishing",
                code="sigstore_no_policy",
                hint="an owner registers it again with `tank trusted-publisher add`",
            )
    if candidate.signer_keyid is None:
        return
    live = {k.keyid for k in keys.active_keys(session, principal.user_id)}
    if candidate.signer_keyid not in live:
        raise ValidationError(
            f"the publisher signature of {candidate.name}@{candidate.version} was refused: "
            f"the key {candidate.signer_keyid[:16]} was revoked while publishing",
            code="signature_unknown_key",
            hint="sign with a key registered to the account and not revoked (`tank keys list`)",
        )


def _attest_and_log(
    session: Session,
    reg: Registry,
    skill: Skill,
    row: SkillVersion,
    scanner: str,
    sbom: dict[str, str] | None,
) -> None:
    """Sign the registry's attestation of the new version and append it to the transparency
    log, in the publish transaction: a version is stored if and only if it is logged."""
    attestation = attestations.attest(
        session, reg.settings, skill, row, "publish", scanner=scanner, sbom=sbom
    )
    translog.append(
        session,
        reg.settings,
        skill.name,
        row,
        signer=attestations.publisher_fingerprint(row),
        attestation=attestation.digest,
    )


def index_version(session: Session, skill: Skill, row: SkillVersion) -> None:
    """Hand the version to the search index, inside the caller's transaction."""
    search.index_skill(session, skill, row)
