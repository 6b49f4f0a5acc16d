"""A registry attestation, checked: what the registry signed that it established about a version.

The registry signs one at publish (its digest is in the version's transparency-log entry)
and one more whenever a rescan changes the verdict: a DSSE envelope over an in-toto
Statement whose subject is the canonical tarball and whose predicate
(:data:`REGISTRY_CHECK_PREDICATE`) records the integrity the registry computed itself, the
verdict, the score, and the fingerprint of the publisher signature it verified. The client
checks one before it installs, and ``tank verify`` again from what install kept, with
:func:`verify_attestation`: signed by one of the registry keys the client pinned, about
exactly this tarball, and (for the logged one) the very envelope the log entry names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tank.core.signing import (
    PublicKey,
    SignatureError,
    check_subject,
    digest_b64,
    parse_envelope,
    verify_envelope,
)

__all__ = ["REGISTRY_CHECK_PREDICATE", "Attested", "verify_attestation"]

REGISTRY_CHECK_PREDICATE = "https://tank.dev/attestation/registry-check/v1"


@dataclass(frozen=True, slots=True)
class Attested:
    """A verified registry attestation: the key that signed it, its digest, and what it says."""

    keyid: str
    digest: str
    verdict: str | None
    #: The fingerprint of the publisher signature the registry verified (None: unsigned;
    #: ``sigstore:…`` for a Sigstore bundle).
    signer: str | None
    #: The digest of the Sigstore bundle the registry verified at publish, if any.
    bundle: str | None = None


def verify_attestation(
    envelope: object,
    keys: Sequence[PublicKey],
    name: str,
    version: str,
    integrity: str,
    *,
    digest: str | None = None,
) -> Attested:
    """Check ``envelope`` is a registry attestation of ``name@version`` with tarball
    ``integrity``, signed by one of the registry's ``keys``, and (when ``digest`` is given,
    the log entry's) that very envelope; raise :class:`SignatureError` otherwise."""
    data = parse_envelope(envelope)
    try:
        verified = verify_envelope(data, keys)
    except SignatureError as error:
        raise SignatureError(
            f"the registry attestation is not signed by a registry key you pinned "
            f"({error.message})",
            code="attestation_unknown_key"
            if error.code == "signature_unknown_key"
            else "attestation_invalid",
            hint="something other than the registry made it, or the registry's key changed "
            "without a rotation its old key endorsed; do not trust this skill until you know",
        ) from None
    statement = verified.statement
    if statement.get("predicateType") != REGISTRY_CHECK_PREDICATE:
        raise SignatureError(
            f"the envelope is not a registry attestation ({REGISTRY_CHECK_PREDICATE})",
            code="attestation_invalid",
        )
    try:
        check_subject(statement, name, version, integrity)
    except SignatureError as error:
        raise SignatureError(
            f"the registry attestation is about other bytes: {error.message}",
            code="attestation_subject_mismatch",
        ) from None
    predicate = statement.get("predicate")
    predicate = predicate if isinstance(predicate, Mapping) else {}
    if predicate.get("integrity") != integrity:
        raise SignatureError(
            f"the registry attestation records another integrity than {name}@{version}'s",
            code="attestation_subject_mismatch",
        )
    found = digest_b64(data)
    if digest is not None and found != digest:
        raise SignatureError(
            "the registry attestation is not the one its transparency-log entry names "
            "(its digest differs)",
            code="attestation_not_logged",
        )
    verdict = predicate.get("verdict")
    return Attested(
        keyid=verified.keyid,
        digest=found,
        verdict=verdict if isinstance(verdict, str) else None,
        signer=_signer(predicate.get("signature")),
        bundle=_bundle(predicate.get("signature")),
    )


def _signer(raw: Any) -> str | None:
    if not isinstance(raw, Mapping):
        return None
    fingerprint = raw.get("fingerprint")
    return fingerprint if isinstance(fingerprint, str) else None


def _bundle(raw: Any) -> str | None:
    sigstore = raw.get("sigstore") if isinstance(raw, Mapping) else None
    digest = sigstore.get("bundle_digest") if isinstance(sigstore, Mapping) else None
    return digest if isinstance(digest, str) else None
