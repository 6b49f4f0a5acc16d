"""Publisher signatures, checked on the client before anything is linked.

For every locked registry version the registry serves, with its status, the DSSE envelope
its publisher signed and the signer's fingerprint; the publisher's keys come from
``GET /v1/users/{name}/keys`` (one request per publisher and registry). The envelope must
verify, by :func:`tank.core.publisher_sig.verify_publish` (the registry's own check), against
the publisher's *unrevoked* keys, and name exactly the tarball the lockfile pins (its
integrity, which the download is verified against): a signature over other bytes, by a
revoked key or another account's key is refused, fail closed, for the whole install.

The lockfile records what was verified: ``signer`` (the key's fingerprint) and
``signature`` (the envelope's digest). A version signed in CI with a Sigstore bundle is
verified by the registry at publish (the client has no Sigstore trust root); the lockfile
records the trusted publisher it matched (``sigstore:<issuer>#<repo>@<workflow>``) and the
bundle's digest. Later installs hold the registry to them: a signature
that went missing, changed, or was made by another key is refused too. With
``audit.require_signing: true``, unsigned skills (from a registry, or from disk) are refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from tank.client.audit import is_local
from tank.client.errors import AuditPolicyError, SignatureRefusedError
from tank.client.status import Statuses, VersionStatus
from tank.core.errors import Problem
from tank.core.lockfile import LockedSkill, Lockfile
from tank.core.publisher_sig import PublisherSignature, verify_publish
from tank.core.signing import PublicKey, SignatureError, parse_envelope, parse_public_key
from tank.core.trusted_publishing import SIGSTORE_SIGNER_PREFIX

if TYPE_CHECKING:
    from tank.client.evidence import Collector
    from tank.client.memo import Memo

#: ``(name, publisher) -> (unrevoked keys, revoked fingerprints)``: the keys of the
#: publisher of a skill, from the registry that serves it.
KeyLookup = Callable[[str, str], tuple[list[PublicKey], set[str]]]

_DIGEST = re.compile(r"^sha256-[A-Za-z0-9+/]{43}=$")

REQUIRE_HINT = (
    "ask the publishers to sign (`tank keys generate`, `tank keys add`, then publish a new "
    "version), or set audit.require_signing to false in skills.json"
)


def parse_keys(answer: Mapping[str, object]) -> tuple[list[PublicKey], set[str]]:
    """A ``/v1/users/{name}/keys`` answer as (unrevoked keys, revoked fingerprints);
    entries that do not parse are left out (they can verify nothing)."""
    live: list[PublicKey] = []
    revoked: set[str] = set()
    entries = answer.get("keys")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, Mapping):
            continue
        try:
            key = parse_public_key(entry.get("key"))
        except SignatureError:
            continue
        if entry.get("revoked") is not False:
            revoked.add(key.keyid)
        else:
            live.append(key)
    return live, revoked


def verify_lock(
    lock: Lockfile,
    statuses: Statuses,
    keys: KeyLookup,
    *,
    require: bool,
    evidence: Collector | None = None,
    memo: Memo | None = None,
) -> Lockfile:
    """``lock`` with every registry version's signature verified and recorded; raise
    :class:`SignatureRefusedError` listing every bad one, or :class:`AuditPolicyError`
    listing the unsigned ones when ``require``. Each envelope that verified, and its key,
    go to ``evidence`` (kept for ``tank verify``); ``memo`` spares verifying again an
    envelope this machine verified before (:mod:`tank.client.memo`)."""
    bad: list[Problem] = []
    unsigned: list[str] = []
    checked: dict[str, LockedSkill] = {}
    for skill in lock.skills:
        if is_local(skill):
            if require:
                unsigned.append(f"{skill.key} (from disk: no publisher signature)")
            continue
        now = statuses.get(skill.key)
        if now is None:  # unknown to the registry: the quarantine check refuses it
            continue
        try:
            found = _verify(skill, now, keys, memo)
        except SignatureError as error:
            bad.append(Problem("signature", f"{skill.key}: {error.message}", hint=error.hint))
            continue
        if found is None:
            if require:
                unsigned.append(skill.key)
            continue
        verified, key = found
        checked[skill.name] = verified
        if evidence is not None and now.signature is not None and key is not None:
            evidence.signature(verified, now.signature, key)
    if bad:
        raise SignatureRefusedError(
            f"{len(bad)} locked skill(s) failed publisher signature verification; "
            "nothing was installed",
            problems=bad,
            hint="do not install these bytes until each problem is explained: the usual causes "
            "are a skills.lock edited by someone else (`git diff skills.lock`), a registry "
            "or mirror serving other bytes, and a key its publisher revoked",
        )
    if unsigned:
        raise AuditPolicyError(
            f"audit.require_signing is true and {len(unsigned)} skill(s) are not signed: "
            + ", ".join(unsigned)
            + "; nothing was installed",
            code="unsigned_refused",
            problems=[Problem("audit.require_signing", f"{k} is not signed") for k in unsigned],
            hint=REQUIRE_HINT,
        )
    skills = tuple(checked.get(s.name, s) for s in lock.skills)
    return Lockfile(skills, lock.resolved_permissions, lock.permission_budget_check)


def _verify(
    skill: LockedSkill, now: VersionStatus, keys: KeyLookup, memo: Memo | None
) -> tuple[LockedSkill, PublicKey | None] | None:
    """``skill`` with its verified signer and signature digest, and the key that verified
    it (None for a Sigstore bundle: the registry verified it); None when unsigned (and the
    lockfile did not say it was signed)."""
    if now.sigstore is not None:
        return _sigstore(skill, now), None
    if now.signature is None:
        if skill.meta.signer is not None or skill.meta.signature is not None:
            raise SignatureError(
                "skills.lock records a publisher signature, but the registry serves none now",
                code="signature_missing",
                hint="a registry that drops signatures is not to be trusted; ask its operator",
            )
        return None
    if not now.publisher:
        raise SignatureError("the registry did not say who published this version")
    live, revoked = keys(skill.name, now.publisher)
    if now.signer is not None and now.signer in revoked:
        raise SignatureError(
            f"signed with the key {now.signer[:16]}, which {now.publisher} revoked",
            code="signature_key_revoked",
            hint="a revoked key signs nothing any more: ask the publisher for a new version "
            "signed with a current key",
        )
    verified = _publish_signature(skill, now.signature, now.signer, live, memo)
    if skill.meta.signer is not None and skill.meta.signer != verified.keyid:
        raise SignatureError(
            f"skills.lock says the key {skill.meta.signer[:16]} signed it, but the registry's "
            f"signature is by {verified.keyid[:16]}",
            code="signature_signer_changed",
        )
    if skill.meta.signature is not None and skill.meta.signature != verified.digest:
        raise SignatureError(
            "the registry serves another signature than the one skills.lock recorded",
            code="signature_changed",
        )
    meta = replace(skill.meta, signer=verified.keyid, signature=verified.digest)
    key = next(k for k in live if k.keyid == verified.keyid)
    return LockedSkill(skill.name, skill.version, meta, skill.dependencies), key


def _publish_signature(
    skill: LockedSkill,
    envelope: Mapping[str, Any],
    claimed: str | None,
    live: list[PublicKey],
    memo: Memo | None,
) -> PublisherSignature:
    """:func:`verify_publish`, unless this machine verified this very envelope, by this
    still-unrevoked key, for this very tarball before (the memo's tag)."""
    name, version, integrity = skill.name, str(skill.version), skill.meta.integrity
    if memo is not None and claimed is not None and any(k.keyid == claimed for k in live):
        known = PublisherSignature(dict(parse_envelope(envelope)), claimed)
        if memo.seen("publish", known.digest, claimed, name, version, integrity):
            return known
    verified = verify_publish(envelope, live, name, version, integrity)
    if memo is not None:
        memo.remember("publish", verified.digest, verified.keyid, name, version, integrity)
    return verified


def _sigstore(skill: LockedSkill, now: VersionStatus) -> LockedSkill:
    """A version the registry verified a Sigstore bundle for at publish: the client cannot
    verify the bundle itself (that needs ``sigstore`` and a trust root, which only the
    registry has), so it records the trusted publisher the registry matched and the
    bundle's digest, and holds the registry to both on every later install."""
    record = now.sigstore or {}
    signer, digest = record.get("signer"), record.get("digest")
    if (
        not isinstance(signer, str)
        or not signer.startswith(SIGSTORE_SIGNER_PREFIX)
        or signer != now.signer
        or not isinstance(digest, str)
        or not _DIGEST.match(digest)
    ):
        raise SignatureError(
            "the registry's record of this version's Sigstore signature is malformed",
            hint="a registry that serves malformed signatures is not to be trusted",
        )
    if skill.meta.signer is not None and skill.meta.signer != signer:
        raise SignatureError(
            f"skills.lock says {skill.meta.signer[:80]} signed it, but the registry now names "
            f"{signer[:80]}",
            code="signature_signer_changed",
        )
    if skill.meta.signature is not None and skill.meta.signature != digest:
        raise SignatureError(
            "the registry serves another Sigstore bundle than the one skills.lock recorded",
            code="signature_changed",
        )
    meta = replace(skill.meta, signer=signer, signature=digest)
    return LockedSkill(skill.name, skill.version, meta, skill.dependencies)


def require_recorded(lock: Lockfile) -> None:
    """Offline, ``audit.require_signing``: refuse every skill skills.lock does not record
    as signed (the signatures themselves can only be checked with the registry)."""
    unsigned = [s.key for s in lock.skills if is_local(s) or s.meta.signer is None]
    if unsigned:
        raise AuditPolicyError(
            f"audit.require_signing is true and skills.lock records {len(unsigned)} "
            "skill(s) as not signed: " + ", ".join(unsigned) + "; nothing was installed",
            code="unsigned_refused",
            problems=[Problem("audit.require_signing", f"{k} is not signed") for k in unsigned],
            hint=REQUIRE_HINT,
        )
