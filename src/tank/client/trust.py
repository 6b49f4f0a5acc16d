"""``tank verify``'s trust layers: the publisher signature, the registry attestation and the
transparency-log inclusion of each locked skill, checked again offline.

``tank install`` verified all three before linking and kept what it verified next to the
cached tarball (:mod:`tank.client.evidence`). Here each is verified again, from scratch:

- ``signature``: the publisher's DSSE envelope is the one skills.lock records (its digest),
  made by the key skills.lock records (its fingerprint, which is the key's own digest, so
  the kept key cannot be swapped), and signs exactly the locked integrity of
  ``name@version`` (:func:`tank.core.publisher_sig.verify_publish`). Whether the publisher
  has revoked that key since is a question for the registry: ``tank install`` asks it. A
  Sigstore bundle only the registry can verify: its attestation must name the signer and
  bundle digest skills.lock records.
- ``attestation``: the registry's attestation the log entry names (and a newer one, when a
  rescan signed one) is signed by a registry key this client pinned, about exactly this
  tarball, names the publisher signature skills.lock records, and one of them attests the
  verdict skills.lock records.
- ``log``: the log entry names this ``name@version``, its integrity and signer, at the index
  skills.lock records; the tree head is signed by a pinned key and is the head this client
  pinned or one it accepted before (each proven to extend the one before); the inclusion
  proof puts the entry in that tree.

A skill from disk has none of these (skipped); an unsigned one skips ``signature`` unless
``audit.require_signing`` is true, which makes it a failure, as it is for install. A skill
locked from a registry without a log (no log index, nothing kept) skips the other two. Any
missing piece of evidence for what skills.lock records is a finding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from tank.client.audit import is_local
from tank.client.cache import ContentCache
from tank.client.evidence import Evidence, Unreadable, evidence_file, read_evidence
from tank.client.paths import cache_dir
from tank.client.transparency import Pinned, load_pinned
from tank.client.verify import Layer, Subject
from tank.core.attestation import verify_attestation
from tank.core.errors import TankError
from tank.core.lockfile import LockedSkill, Lockfile
from tank.core.publisher_sig import PublisherSignature, verify_publish
from tank.core.signing import PublicKey, SignatureError, parse_public_key
from tank.core.translog import LogError, check_inclusion, parse_entry, parse_hashes, verify_head
from tank.core.trusted_publishing import SIGSTORE_SIGNER_PREFIX
from tank.core.verification import Finding, LayerResult, LayerStatus

if TYPE_CHECKING:
    from tank.client.session import Session

REFETCH = "`tank verify --repair` asks the registry for it again"


class _Missing(Exception):
    """A piece of evidence skills.lock calls for is not kept."""


@dataclass
class TrustLayers:
    """The three layers over one cache, sharing the evidence and pins they read."""

    cache: ContentCache
    #: The registry a skill comes from now (the project's routes), by name.
    route: Callable[[str], str]
    require_signing: bool = False
    _evidence: dict[str, Evidence | str | None] = field(default_factory=dict)
    _pins: dict[str, Pinned | str | None] = field(default_factory=dict)

    @property
    def layers(self) -> Sequence[Layer]:
        """``signature``, ``attestation``, ``log``, in that order."""
        return (self.signature, self.attestation, self.log)

    # ------------------------------------------------------------------ layers

    def signature(self, subject: Subject) -> LayerResult:
        """The publisher's signature of the locked tarball."""
        skill = subject.skill
        if is_local(skill) or (skill.meta.signer is None and skill.meta.signature is None):
            what = "from disk" if is_local(skill) else "not signed by its publisher"
            if self.require_signing:
                finding = Finding(
                    "unsigned_refused",
                    f"{skill.key} is {what}, and audit.require_signing is true",
                )
                return LayerResult.of("signature", [finding])
            return _skipped("signature", f"{what}: no publisher signature to check")
        if (skill.meta.signer or "").startswith(SIGSTORE_SIGNER_PREFIX):
            return self._sigstore(skill)
        try:
            evidence = self._kept(skill, "the publisher signature", need=True)
            kept = evidence.signature if evidence is not None else None
            if kept is None:
                raise _Missing("the publisher signature")
            key = parse_public_key(kept.get("key"))
            if key.keyid != skill.meta.signer:
                raise SignatureError(
                    f"the kept key {key.keyid[:16]} is not the signer skills.lock records "
                    f"({(skill.meta.signer or 'none')[:16]})",
                    code="signature_signer_changed",
                )
            verified = _verify_kept(kept.get("envelope"), key, skill)
            if verified.digest != skill.meta.signature:
                raise SignatureError(
                    "the kept publisher signature is not the one skills.lock records "
                    "(its digest differs)",
                    code="signature_changed",
                )
        except (_Missing, TankError) as problem:
            return self._failed("signature", skill, problem)
        return LayerResult.of("signature", note=f"signed by {verified.keyid[:16]}")

    def _sigstore(self, skill: LockedSkill) -> LayerResult:
        """A Sigstore bundle: only the registry can verify it (the client has no Sigstore
        trust root); what is checked here is that the registry's attestation, verified
        against its pinned key, vouches for the signer and bundle skills.lock records."""
        try:
            found = self._logged(skill, "the registry attestation")
            if found is None:
                return _skipped("signature", "a Sigstore bundle, and no attestation kept")
            evidence, pinned = found
            if not evidence.attestations:
                raise _Missing("the registry attestation")
            attested = verify_attestation(
                evidence.attestations[0],
                pinned.keys,
                skill.name,
                str(skill.version),
                skill.meta.integrity,
            )
            if (attested.signer, attested.bundle) != (skill.meta.signer, skill.meta.signature):
                raise SignatureError(
                    "the registry attests another Sigstore signer or bundle than skills.lock "
                    "records",
                    code="signature_changed",
                )
        except (_Missing, TankError) as problem:
            return self._failed("signature", skill, problem)
        signer = (skill.meta.signer or "")[:80]
        note = f"Sigstore bundle, verified by the registry at publish ({signer})"
        return LayerResult.of("signature", note=note)

    def attestation(self, subject: Subject) -> LayerResult:
        """The registry's attestations of the locked tarball."""
        skill = subject.skill
        try:
            found = self._logged(skill, "the registry attestation")
            if found is None:
                return _skipped("attestation", _NO_LOG if not is_local(skill) else _LOCAL)
            evidence, pinned = found
            if not evidence.attestations or evidence.log is None:
                raise _Missing("the registry attestation")
            entry = parse_entry(evidence.log.get("entry"))
            name, version, integrity = skill.name, str(skill.version), skill.meta.integrity
            attested = [
                verify_attestation(
                    evidence.attestations[0],
                    pinned.keys,
                    name,
                    version,
                    integrity,
                    digest=entry.attestation,
                ),
                *(
                    verify_attestation(a, pinned.keys, name, version, integrity)
                    for a in evidence.attestations[1:2]
                ),
            ]
            if attested[0].signer != skill.meta.signer:
                raise SignatureError(
                    "the registry attests another publisher signature "
                    f"({(attested[0].signer or 'none')[:16]}) than skills.lock records "
                    f"({(skill.meta.signer or 'none')[:16]})",
                    code="attestation_signer_mismatch",
                )
            verdicts = {a.verdict for a in attested}
            if skill.meta.verdict is not None and skill.meta.verdict not in verdicts:
                raise SignatureError(
                    f"skills.lock records the verdict {skill.meta.verdict!r}, the registry "
                    f"attested {' then '.join(sorted(v or 'none' for v in verdicts))}",
                    code="attestation_verdict_mismatch",
                )
        except (_Missing, TankError) as problem:
            return self._failed("attestation", skill, problem)
        return LayerResult.of("attestation", note=f"verdict {attested[-1].verdict}")

    def log(self, subject: Subject) -> LayerResult:
        """The transparency log's proof that the locked tarball was published to everyone."""
        skill = subject.skill
        try:
            found = self._logged(skill, "the transparency-log proof")
            if found is None:
                return _skipped("log", _NO_LOG if not is_local(skill) else _LOCAL)
            evidence, pinned = found
            kept = evidence.log
            if kept is None:
                raise _Missing("the transparency-log proof")
            entry = parse_entry(kept.get("entry"))
            index = kept.get("index")
            if not isinstance(index, int) or isinstance(index, bool) or index < 0:
                raise LogError("the kept log proof has no leaf index")
            if (f"{entry.name}@{entry.version}", entry.integrity, entry.signer) != (
                skill.key,
                skill.meta.integrity,
                skill.meta.signer,
            ):
                raise LogError(
                    "the log entry kept is not the one of the locked tarball (name, version, "
                    "integrity or signer differs)",
                    code="log_integrity_mismatch",
                )
            if skill.meta.log_index is not None and skill.meta.log_index != index:
                raise LogError(
                    f"skills.lock records log index {skill.meta.log_index}, the kept proof "
                    f"is for index {index}",
                    code="log_index_mismatch",
                )
            head, _ = verify_head(kept.get("head"), pinned.keys)
            if not pinned.knows(head):
                raise LogError(
                    f"the kept proof is against a tree head ({head.size} entries) this "
                    "client never pinned",
                    code="log_head_unknown",
                    hint="someone may have replaced the proof with one from another log; "
                    + REFETCH,
                )
            check_inclusion(entry, index, parse_hashes(kept.get("proof"), "inclusion proof"), head)
        except (_Missing, TankError) as problem:
            return self._failed("log", skill, problem)
        return LayerResult.of("log", note=f"leaf {index} of {head.size}")

    # ------------------------------------------------------------------ helpers

    def _kept(self, skill: LockedSkill, what: str, *, need: bool) -> Evidence | None:
        integrity = skill.meta.integrity
        if integrity not in self._evidence:
            try:
                self._evidence[integrity] = read_evidence(self.cache, integrity)
            except Unreadable as bad:
                self._evidence[integrity] = str(bad)
        found = self._evidence[integrity]
        if isinstance(found, str):
            raise SignatureError(
                f"the evidence install kept cannot be read ({found})",
                code="evidence_damaged",
                hint=REFETCH,
            )
        if found is None and need:
            raise _Missing(what)
        if found is not None and found.registry is not None:
            expected = self.route(skill.name)
            if found.registry != expected:
                raise SignatureError(
                    f"the evidence kept is from the registry at {found.registry}, but this "
                    f"project installs {skill.name} from {expected}",
                    code="evidence_registry_mismatch",
                    hint=REFETCH,
                )
        return found

    def _logged(self, skill: LockedSkill, what: str) -> tuple[Evidence, Pinned] | None:
        """The evidence and the pins of the skill's registry; None when there is no log to
        check (from disk; or no log index locked and no log proof kept)."""
        if is_local(skill):
            return None
        evidence = self._kept(skill, what, need=skill.meta.log_index is not None)
        if evidence is None or (evidence.log is None and skill.meta.log_index is None):
            return None
        registry = evidence.registry or self.route(skill.name)
        if registry not in self._pins:
            try:
                self._pins[registry] = load_pinned(registry)
            except LogError as bad:
                self._pins[registry] = bad.message
        pinned = self._pins[registry]
        if not isinstance(pinned, Pinned):
            raise LogError(
                pinned or f"no keys of the registry at {registry} are pinned on this machine",
                code="log_not_pinned",
                hint="`tank install` pins them; " + REFETCH,
            )
        return evidence, pinned

    def _failed(self, layer: str, skill: LockedSkill, problem: Exception) -> LayerResult:
        where = str(evidence_file(self.cache, skill.meta.integrity))
        if isinstance(problem, _Missing):
            finding = Finding(
                "evidence_missing",
                f"{skill.key}: {problem} that `tank install` verified is not kept in the "
                f"cache ({REFETCH})",
                where,
            )
        else:
            assert isinstance(problem, TankError)
            hint = f" ({problem.hint})" if problem.hint else ""
            finding = Finding(problem.code, f"{skill.key}: {problem.message}{hint}", where)
        return LayerResult.of(layer, [finding])


def _verify_kept(envelope: object, key: PublicKey, skill: LockedSkill) -> PublisherSignature:
    try:
        return verify_publish(envelope, [key], skill.name, str(skill.version), skill.meta.integrity)
    except SignatureError as error:
        if error.code != "signature_unknown_key":
            raise
        raise SignatureError(
            "the kept publisher signature does not verify with the key skills.lock records "
            f"({key.keyid[:16]}): it was changed after `tank install` verified it",
            code=error.code,
            hint=REFETCH,
        ) from None


_LOCAL = "from disk: no registry vouches for it"
_NO_LOG = "its registry keeps no transparency log (nothing was logged or attested)"


def _skipped(layer: str, note: str) -> LayerResult:
    return LayerResult(layer, LayerStatus.SKIPPED, note=note)


def refresh_evidence(session: Session, lock: Lockfile, skills: Sequence[LockedSkill]) -> int:
    """``tank verify --repair``: ask the registries again, as ``tank install`` does (the
    publisher signatures held to skills.lock, the log proofs to the pinned head, the
    attestations to the pinned keys: fail closed), for ``skills``, and keep what verified;
    return how many evidence files were written."""
    from tank.client import transparency
    from tank.client.evidence import Collector
    from tank.client.project import check_signatures

    wanted = Lockfile(
        tuple(s for s in skills if not is_local(s)),
        lock.resolved_permissions,
        lock.permission_budget_check,
    )
    if not wanted.skills:
        return 0
    evidence = Collector()
    # audit.require_signing is verify's to report (a finding), not a reason to stop here.
    unaudited = replace(session.manifest, audit=None)
    check_signatures(session, unaudited, wanted, evidence=evidence)
    transparency.check_lock(session.registries, wanted, record=False, evidence=evidence)
    return evidence.save(ContentCache(cache_dir()))
