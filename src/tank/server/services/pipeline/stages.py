"""The in-memory publish stages: validate, sign, analyze, permissions, score.

None of them trusts anything the client says about the upload: names, versions, the
integrity and the file listing are all derived here from the bytes.
"""

from __future__ import annotations

import zlib
from dataclasses import replace
from typing import TYPE_CHECKING

from tank.core.errors import ValidationError, errors_of
from tank.core.integrity import sri_sha512
from tank.core.pack import canonical_tar, pack_files
from tank.core.publisher_sig import verify_publish
from tank.core.semver import parse_version
from tank.core.signing import SignatureError, parse_envelope
from tank.core.skillfolder import SKILL_MD, validate_skill_folder
from tank.core.skillmd import Mode
from tank.core.unpack import files_of, read_archive
from tank.server.errors import ApiError
from tank.server.services.pipeline import scan
from tank.server.services.pipeline.assess import assess, has_install_scripts
from tank.server.services.pipeline.behaviour import SCANNER_SUFFIX, run_behaviour
from tank.server.services.pipeline.behaviour_findings import verdict_of
from tank.server.services.pipeline.candidate import Candidate
from tank.server.services.pipeline.scoring import compute
from tank.server.services.pipeline.storable import check_storable

if TYPE_CHECKING:
    from tank.server.services.sigstore_verify import SigstoreVerified

__all__ = [
    "analyze",
    "check_behaviour",
    "finish_score",
    "has_install_scripts",
    "permissions",
    "score",
    "sign",
    "validate",
]


def _mismatch(what: str, claimed: str, actual: str) -> ValidationError:
    return ValidationError(
        f"the request claims {what} {claimed!r} but the tarball holds {actual!r}",
        code="manifest_mismatch",
        hint="publish the tarball `tank pack` made, or drop the claimed fields",
    )


def validate(candidate: Candidate) -> None:
    """Unpack safely, validate SKILL.md and skills.json strictly, derive identity and digest.

    Also re-packs the files canonically: equal bytes (or an equal tar inside a different gzip
    encoding) mark the version reproducible. A non-canonical upload is still accepted, and
    the registry stores the *uploaded* bytes: the integrity clients verify must be the one of
    what they download, and a re-packed blob would not match what the publisher signed.
    """
    upload = candidate.upload
    candidate.members = read_archive(upload.data)
    files = files_of(candidate.members)
    package, report = validate_skill_folder(
        {path: data for path, (data, _) in files.items()}, folder_name=None, mode=Mode.STRICT
    )
    if package is None or package.manifest is None:
        errors = errors_of(report.problems)
        first = str(errors[0]) if errors else "the skill folder is not publishable"
        raise ValidationError(
            f"the skill does not validate: {first}",
            code="invalid_skill",
            hint="run `tank validate` on the folder and fix every error it lists",
            problems=report.problems,
        )
    manifest = package.manifest
    name, version = manifest.name, manifest.version
    if name is None or version is None or not name.startswith("@") or "/" not in name:
        raise ValidationError(
            "skills.json must name a package '@scope/name' with a version",
            code="manifest_name",
            hint=f'set "name": "@<your scope>/{package.skill.name}" and "version"',
        )
    if name.split("/", 1)[1] != package.skill.name:
        raise ValidationError(
            f"skills.json names {name} but SKILL.md names the skill {package.skill.name!r}",
            code="manifest_name",
            hint=f'use "name": "{name.split("/", 1)[0]}/{package.skill.name}"',
        )
    candidate.skill, candidate.manifest = package.skill, manifest
    candidate.name = name
    candidate.version = str(version.without_build())
    candidate.integrity = sri_sha512(upload.data)
    candidate.skill_md = files[SKILL_MD][0].decode("utf-8")
    check_storable(candidate)
    _check_claims(candidate)
    repacked = pack_files(files)
    candidate.files = repacked.files
    candidate.unpacked_size = repacked.unpacked_size
    candidate.reproducible = repacked.data == upload.data or _same_tar(
        upload.data, [(p, d, x) for p, (d, x) in sorted(files.items())]
    )


def _check_claims(candidate: Candidate) -> None:
    upload = candidate.upload
    if upload.claimed_name is not None and upload.claimed_name != candidate.name:
        raise _mismatch("the name", upload.claimed_name, candidate.name)
    if upload.claimed_version is not None:
        try:
            claimed = str(parse_version(upload.claimed_version).without_build())
        except ValidationError:
            claimed = upload.claimed_version
        if claimed != candidate.version:
            raise _mismatch("the version", upload.claimed_version, candidate.version)
    if upload.claimed_integrity is not None and upload.claimed_integrity != candidate.integrity:
        raise _mismatch("the integrity", upload.claimed_integrity, candidate.integrity)


def _same_tar(data: bytes, files: list[tuple[str, bytes, bool]]) -> bool:
    # Safe to inflate fully: read_archive already bounded this exact stream.
    try:
        return zlib.decompress(data, 16 + zlib.MAX_WBITS) == canonical_tar(files)
    except zlib.error:
        return False


def analyze(candidate: Candidate) -> None:
    """Run the scanner on the files against the declared permissions; refuse a ``fail``.

    Fails closed: a scanner crash is a ``fail`` (see :func:`scan.scan`), and an unexpected
    error here refuses the publish rather than letting an unscanned version through.
    """
    assert candidate.manifest is not None  # validate ran
    options = candidate.options
    try:
        outcome = scan.scan(
            candidate.file_map,
            candidate.manifest.permissions,
            timeout_s=options.scan_timeout_s,
            rules=options.rules,
        )
    except Exception as error:
        raise scan.ScanFailed(
            f"{candidate.name}@{candidate.version} could not be scanned: {error}",
            hint="retry the publish; if it persists, report it to the registry administrator",
        ) from error
    candidate.verdict = outcome.verdict
    candidate.findings = outcome.findings
    candidate.scanner = outcome.scanner
    if outcome.verdict == "fail":
        raise scan.refusal(candidate.name, candidate.version, outcome, options.rules)


def check_behaviour(candidate: Candidate) -> None:
    """With the registry's behaviour check on, run the skill in the sandbox (see
    :mod:`~tank.server.services.pipeline.behaviour`); its findings join the scan's, its
    measured coverage feeds the score. Refuses a ``fail`` like ``analyze``; fails closed
    when the sandbox cannot run."""
    config = candidate.options.behaviour
    if config is None:
        return
    assert candidate.manifest is not None  # validate ran
    outcome = run_behaviour(candidate.name, candidate.version, candidate.file_map,
                            candidate.manifest, config)  # fmt: skip
    candidate.findings = [*candidate.findings, *outcome.findings]
    candidate.verdict = verdict_of(candidate.verdict, outcome.findings)
    candidate.measured_coverage = outcome.coverage
    candidate.scanner += SCANNER_SUFFIX
    if candidate.verdict == "fail":
        refused = scan.ScanOutcome(candidate.verdict, candidate.findings, candidate.scanner)
        raise scan.refusal(candidate.name, candidate.version, refused, candidate.options.rules)


def permissions(candidate: Candidate) -> None:
    """Record the declared permissions (parsed by ``validate``) and dependency ranges."""
    assert candidate.manifest is not None  # validate ran
    candidate.permissions = candidate.manifest.permissions.to_json()
    candidate.dependencies = {
        name: rng.raw for name, rng in sorted(candidate.manifest.skills.items())
    }


def score(candidate: Candidate) -> None:
    """The audit score (0-10) from what the files decide; the store step adds the publisher.

    See :mod:`tank.server.services.pipeline.scoring` for the items.
    """
    assert candidate.manifest is not None  # validate ran
    candidate.score_inputs = assess(
        candidate.file_map,
        candidate.manifest,
        verdict=candidate.verdict,
        reproducible=candidate.reproducible,
        signer_keyid=candidate.signer_keyid,
        sigstore_signer=candidate.sigstore.signer if candidate.sigstore else None,
        integrity=candidate.integrity,
        advisories=candidate.options.advisories,
        measured_coverage=candidate.measured_coverage,
        behaviour_on=candidate.options.behaviour is not None,
    )
    finish_score(candidate, verified_publisher=False, approvals=0)


def finish_score(candidate: Candidate, *, verified_publisher: bool, approvals: int) -> None:
    """Complete the score with the facts the database holds, and set the candidate's total."""
    assert candidate.score_inputs is not None  # score ran
    candidate.score_inputs = replace(
        candidate.score_inputs, verified_publisher=verified_publisher, approvals=approvals
    )
    result = compute(candidate.score_inputs)
    candidate.audit_score, candidate.score_breakdown = result.total, result.breakdown


def sign(candidate: Candidate) -> None:
    """Verify the publisher's signature, if the upload carries one; refuse one that fails.

    A signature is an Ed25519 DSSE envelope by a registered key, or a Sigstore bundle made
    in CI (:func:`_sigstore`); not both.
    The envelope must be signed by one of the publisher's registered, unrevoked keys
    (``candidate.publisher_keys``) and name exactly the bytes hashed here by ``validate``,
    with this name and version. A signature that does not verify is refused, never dropped:
    the publisher meant to sign, so publishing unsigned would hide the problem. Runs before
    the scan (it is cheap), and before ``score``, whose signing point counts only this.
    """
    text = candidate.upload.signature
    bundle = candidate.upload.sigstore_bundle
    if bundle is not None and bundle.strip():
        if text is not None and text.strip():
            raise ValidationError(
                f"{candidate.name}@{candidate.version} carries both a publisher signature and "
                "a Sigstore bundle",
                code="signature_ambiguous",
                hint="send one: --sigstore-bundle FILE with --no-sign, or a key signature alone",
            )
        candidate.sigstore = _sigstore(candidate, bundle)
        return
    if text is None or not text.strip():
        candidate.signature = candidate.signer_keyid = None
        return
    try:
        verified = verify_publish(
            text,
            candidate.publisher_keys,
            candidate.name,
            candidate.version,
            candidate.integrity,
        )
    except SignatureError as refused:
        error = refused
        used = _signed_by(text) & candidate.revoked_keyids
        if used:
            error = SignatureError(
                f"it is signed with the key {min(used)[:16]}, which you revoked",
                code="signature_key_revoked",
                hint="sign with a key you have not revoked: `tank keys generate`, "
                "`tank keys add`, then publish again",
            )
        raise ValidationError(
            f"the publisher signature of {candidate.name}@{candidate.version} was refused: "
            f"{error.message}",
            code=error.code,
            hint=error.hint
            or "register the signing key with `tank keys add`, or publish with --no-sign",
        ) from None
    candidate.signature, candidate.signer_keyid = verified.text, verified.keyid


def _sigstore(candidate: Candidate, bundle: str) -> SigstoreVerified:
    """Verify a Sigstore bundle offline against the skill's trusted publishers."""
    try:  # imported here: only publishes that carry a bundle pay for sigstore's imports
        from tank.server.services import sigstore_verify
    except ImportError as error:
        raise ApiError(
            f"this registry cannot verify Sigstore bundles: {error}",
            status=503,
            code="sigstore_unavailable",
            hint="the registry's administrator installs tank[registry]; until then publish "
            "without --sigstore-bundle",
        ) from None
    verifier = sigstore_verify.verifier_for(candidate.options.sigstore_trusted_root)
    return sigstore_verify.verify_bundle(
        bundle,
        candidate.data,
        candidate.trusted_for(candidate.name),
        verifier,
        skill=f"{candidate.name}@{candidate.version}",
    )


def _signed_by(text: str) -> set[str]:
    """The key ids an envelope's signatures claim (only to name a revoked one)."""
    try:
        envelope = parse_envelope(text)
    except SignatureError:
        return set()
    signatures = envelope.get("signatures")
    claims = signatures if isinstance(signatures, list) else []
    return {s["keyid"] for s in claims if isinstance(s, dict) and isinstance(s.get("keyid"), str)}
