"""Rescan stored versions with the current scanner (and advisory data); quarantine failures.

Each version's tarball is read back from the blob store and unpacked with the same bounded
:func:`~tank.core.unpack.read_archive` as a publish; the scan runs outside any transaction,
then one short write transaction per version stores the new verdict, findings and score,
appends the audit history, records an audit event when something changed, and rebuilds the
skill's document. A version whose new verdict is ``fail`` is quarantined: its tarball answers
451 and ``latest`` moves to the highest remaining servable version (``skills.refresh``).

A rescan that changes the verdict also signs a new registry attestation of the version
(:mod:`~tank.server.services.attestations`); the transparency log is not appended to (it
records what was published, which a rescan does not change).

With the registry's behaviour check on, each version is also run again in the sandbox
(:mod:`~tank.server.services.pipeline.behaviour`): its findings and measured coverage are
recomputed like the scan's. With it off, a version's stored behaviour findings are kept.

The ``verified_publisher`` item keeps what it was at publish time (it is never retro-scored);
reviews are recounted; the signing point is earned again only when the stored signature
still verifies against the bytes and the publisher's unrevoked keys (a revoked key loses
it), or the stored Sigstore bundle still verifies against the trust root and the skill's
trusted publishers (a removed trusted publisher loses it); every other item is recomputed
from the files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select

from tank.core.errors import TankError, UsageError
from tank.core.publisher_sig import verify_publish
from tank.core.signing import PublicKey, SignatureError
from tank.core.trusted_publishing import TrustedIdentity
from tank.scanner import RuleSet
from tank.server.context import Registry
from tank.server.db.engine import write_session
from tank.server.db.models import Skill, SkillVersion
from tank.server.services import (
    attestations,
    audit,
    audit_history,
    keys,
    skills,
    trusted_publishers,
)
from tank.server.services.pipeline import Candidate, Upload
from tank.server.services.pipeline.assess import assess
from tank.server.services.pipeline.behaviour import SCANNER_SUFFIX, run_behaviour
from tank.server.services.pipeline.behaviour_findings import verdict_of
from tank.server.services.pipeline.config import options_for
from tank.server.services.pipeline.coverage import CoverageResult
from tank.server.services.pipeline.scan import ScanOutcome, scan
from tank.server.services.pipeline.scoring import ScoreInputs, compute
from tank.server.services.pipeline.stages import validate
from tank.server.services.publish import index_version
from tank.server.services.reviews import approvals

__all__ = ["RescanReport", "parse_target", "rescan"]


@dataclass(slots=True)
class RescanReport:
    """What a rescan did: how many versions it scanned, what changed, what it quarantined."""

    scanned: int = 0
    changed: list[dict[str, Any]] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The JSON answer of ``tank registry rescan --json``."""
        return {
            "scanned": self.scanned,
            "changed": self.changed,
            "quarantined": self.quarantined,
            "errors": self.errors,
        }


def parse_target(target: str) -> tuple[str, str | None]:
    """``@acme/pdf`` → (``@acme/pdf``, None); ``@acme/pdf@1.2.0`` → (``@acme/pdf``, ``1.2.0``)."""
    at = target.rfind("@")
    name, version = (target[:at], target[at + 1 :]) if at > 0 else (target, None)
    if not name.startswith("@") or "/" not in name or version == "":
        raise UsageError(
            f"{target!r} is not a skill name", hint="use @scope/name or @scope/name@1.2.3"
        )
    return name, version


def _targets(reg: Registry, target: str | None, every: bool) -> list[tuple[int, str, str]]:
    if target is None and not every:
        raise UsageError("name a skill to rescan, or pass --all", hint="tank registry rescan --all")
    query = (
        select(SkillVersion.id, Skill.name, SkillVersion.version)
        .join(Skill, Skill.id == SkillVersion.skill_id)
        .where(SkillVersion.deleted_at.is_(None))
        .order_by(Skill.name, SkillVersion.id)
    )
    with reg.sessions() as session:
        if target is not None:
            name, version = parse_target(target)
            skill = session.scalars(select(Skill).where(Skill.name == name)).first()
            if skill is None:
                raise skills.skill_not_found(name)
            query = query.where(Skill.id == skill.id)
            if version is not None:
                query = query.where(
                    SkillVersion.id == skills.find_version(session, skill, version).id
                )
        return [(i, n, v) for i, n, v in session.execute(query)]


def rescan(
    reg: Registry, target: str | None = None, *, every: bool = False, rules: RuleSet | None = None
) -> RescanReport:
    """Rescan ``target`` (``@scope/name[@version]``) or, with ``every``, all live versions.

    ``rules`` replaces the shipped rule set (a stricter one, say); None uses the shipped one.
    """
    options = options_for(reg.settings)
    report = RescanReport()
    for version_id, name, version in _targets(reg, target, every):
        with reg.sessions() as session:
            row = session.get(SkillVersion, version_id)
            key, reproducible = (row.blob_key, row.reproducible) if row else ("", False)
            envelope = row.signature if row else None
            signing_keys = keys.active_keys(session, row.publisher_id) if envelope and row else []
            stored = row.sigstore if row else None
            trusted = trusted_publishers.identities(session, name) if stored else []
            seen = [f for f in (row.findings or []) if _is_behaviour(f)] if row else []
        try:
            candidate = Candidate(Upload(reg.blobs.get(key)), options)
            validate(candidate)
            assert candidate.manifest is not None
            signer: str | None = None
            sigstore: str | None = None
            if stored:
                sigstore, problem = _sigstore(candidate, stored, trusted)
            else:
                signer, problem = _signer(candidate, envelope, signing_keys)
            files = candidate.file_map
            outcome = scan(
                files,
                candidate.manifest.permissions,
                timeout_s=options.scan_timeout_s,
                rules=rules or options.rules,
            )
            outcome, measured = _behaviour(candidate, outcome, seen)
            inputs = assess(
                files,
                candidate.manifest,
                verdict=outcome.verdict,
                reproducible=reproducible,
                signer_keyid=signer,
                sigstore_signer=sigstore,
                integrity=candidate.integrity,
                advisories=options.advisories,
                measured_coverage=measured,
                behaviour_on=options.behaviour is not None,
            )
        except (KeyError, TankError) as error:
            why = (
                "the tarball is missing from storage" if isinstance(error, KeyError) else str(error)
            )
            report.errors.append({"name": name, "version": version, "error": why})
            continue
        report.scanned += 1
        _store(reg, version_id, outcome, replace(inputs, signature_problem=problem), report)
    return report


def _is_behaviour(finding: Any) -> bool:
    return isinstance(finding, dict) and str(finding.get("rule", "")).startswith("behaviour.")


def _behaviour(
    candidate: Candidate, outcome: ScanOutcome, seen: list[dict[str, Any]]
) -> tuple[ScanOutcome, CoverageResult | None]:
    """With the behaviour check on, run it again (as at publish): its findings join the
    scan's and its measured coverage feeds the score. A check that cannot run raises.
    With it off, the behaviour findings stored before (``seen``) are kept: turning a check
    off never clears what it saw; the coverage point is then self-reported again (none)."""
    config = candidate.options.behaviour
    scanner = outcome.scanner
    if config is None or candidate.manifest is None:
        found, coverage = seen, None
    else:
        result = run_behaviour(
            candidate.name, candidate.version, candidate.file_map, candidate.manifest, config
        )
        found, coverage, scanner = result.findings, result.coverage, scanner + SCANNER_SUFFIX
    merged = ScanOutcome(verdict_of(outcome.verdict, found), [*outcome.findings, *found], scanner)
    return merged, coverage


def _signer(
    candidate: Candidate, envelope: str | None, signing_keys: Sequence[PublicKey]
) -> tuple[str | None, str | None]:
    """The signing point is re-earned, not remembered: the stored envelope is verified
    again against the stored bytes and the publisher's keys unrevoked now. Returns the
    signer's fingerprint, or None and why the signature no longer verifies."""
    if not envelope:
        return None, None
    try:
        verified = verify_publish(
            envelope, signing_keys, candidate.name, candidate.version, candidate.integrity
        )
    except SignatureError as error:
        return None, error.message
    return verified.keyid, None


def _sigstore(
    candidate: Candidate, stored: dict[str, Any], trusted: Sequence[TrustedIdentity]
) -> tuple[str | None, str | None]:
    """A Sigstore-signed version's point is re-earned the same way: its stored bundle is
    verified again, offline, against the stored bytes, the trust root configured now and
    the skill's trusted publishers registered now. Returns the signer, or None and why."""
    try:
        from tank.server.services import sigstore_verify

        verifier = sigstore_verify.verifier_for(candidate.options.sigstore_trusted_root)
        verified = sigstore_verify.verify_bundle(
            sigstore_verify.canonical(stored.get("bundle") or {}),
            candidate.data,
            trusted,
            verifier,
            skill=f"{candidate.name}@{candidate.version}",
        )
    except TankError as error:
        return None, error.message
    except ImportError as error:  # fail closed for the point: the rescan goes on
        return None, f"the registry cannot verify Sigstore bundles: {error}"
    return verified.signer, None


def _store(
    reg: Registry, version_id: int, outcome: ScanOutcome, inputs: ScoreInputs, report: RescanReport
) -> None:
    with write_session(reg.sessions) as session:
        row = session.get(SkillVersion, version_id)
        if row is None:
            return
        skill = session.get(Skill, row.skill_id, with_for_update=True)
        assert skill is not None
        session.refresh(row)  # what committed before our lock (a review, say)
        kept = (row.score_breakdown or {}).get("verified_publisher", {}).get("points", 0)
        score = compute(
            replace(inputs, verified_publisher=bool(kept), approvals=approvals(session, row.id))
        )
        before = {"verdict": row.verdict, "audit_score": row.audit_score}
        changed = (
            row.verdict != outcome.verdict
            or row.audit_score != score.total
            or row.findings != outcome.findings
            or row.score_breakdown != score.breakdown
        )
        newly_failed = outcome.verdict == "fail" and row.verdict != "fail"
        row.verdict, row.findings = outcome.verdict, outcome.findings
        row.audit_score, row.score_breakdown = score.total, score.breakdown
        audit_history.record(
            session, row, "rescan", scanner=outcome.scanner, details={"before": before}
        )
        subject = f"{skill.name}@{row.version}"
        if changed:
            audit.record(
                session,
                "skill.quarantined" if newly_failed else "skill.rescanned",
                subject=subject,
                details={
                    "before": before,
                    "after": {"verdict": row.verdict, "audit_score": row.audit_score},
                    "scanner": outcome.scanner,
                },
            )
            report.changed.append(
                {
                    "name": skill.name,
                    "version": row.version,
                    "before": before,
                    "after": {"verdict": row.verdict, "audit_score": row.audit_score},
                }
            )
        if newly_failed:
            report.quarantined.append(subject)
        session.flush()
        if before["verdict"] != row.verdict:  # a new verdict is a new signed attestation
            attestations.attest(
                session,
                reg.settings,
                skill,
                row,
                "rescan",
                scanner=outcome.scanner,
                sbom=attestations.last_sbom(session, row.id),
            )
        skills.refresh(session, skill)
        index_version(session, skill, row)
