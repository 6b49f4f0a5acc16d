"""A publisher's signature over one published version: made, checked and named in one place.

The registry checks it at publish and the client again before it installs, with the same
function, so the two can never disagree on what "signed" means: a DSSE envelope
(:mod:`tank.core.signing`) carrying an in-toto Statement with the publish predicate, whose
single subject is exactly the canonical tarball (its SHA-512) of ``name@version``, signed by
one of the keys given (the publisher's registered, unrevoked ones).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tank.core.signing import (
    PUBLISH_PREDICATE,
    PublicKey,
    SignatureError,
    Signer,
    canonical_json,
    check_subject,
    digest_b64,
    parse_envelope,
    publish_statement,
    verify_envelope,
)

__all__ = ["PublisherSignature", "public_pem", "sign_publish", "verify_publish"]


@dataclass(frozen=True, slots=True)
class PublisherSignature:
    """A verified publisher signature: the envelope, the key that made it, the envelope's
    digest (``sha256-…``, what a lockfile records)."""

    envelope: Mapping[str, Any]
    keyid: str

    @property
    def text(self) -> str:
        """The envelope as canonical JSON (how the registry stores it)."""
        return canonical_json(self.envelope).decode("utf-8")

    @property
    def digest(self) -> str:
        """``sha256-<base64>`` of the envelope's canonical JSON."""
        return digest_b64(self.envelope)


def sign_publish(signer: Signer, name: str, version: str, integrity: str) -> dict[str, Any]:
    """The envelope ``tank publish`` sends: the publish Statement over the tarball, signed."""
    return signer.sign_statement(publish_statement(name, version, integrity))


def verify_publish(
    envelope: object, keys: Sequence[PublicKey], name: str, version: str, integrity: str
) -> PublisherSignature:
    """Check ``envelope`` signs exactly ``name@version`` with tarball ``integrity``, by one
    of ``keys``; raise :class:`~tank.core.signing.SignatureError` otherwise (fail closed)."""
    data = parse_envelope(envelope)
    try:
        verified = verify_envelope(data, keys)
    except SignatureError as error:
        if error.code != "signature_unknown_key" or not keys:
            raise
        claimed = error.message.rpartition("(signed by: ")[2].rstrip(")") or "none"
        raise SignatureError(
            "the signature is not by any of the publisher's registered, unrevoked keys "
            f"(signed by: {claimed})",
            code="signature_unknown_key",
            hint="sign with a key registered to the publisher's account and not revoked "
            "(`tank keys list`)",
        ) from None
    if verified.statement.get("predicateType") != PUBLISH_PREDICATE:
        raise SignatureError(
            f"the signed Statement is not a publish statement ({PUBLISH_PREDICATE})",
            code="signature_predicate",
            hint="sign with `tank publish`, which makes the right Statement",
        )
    check_subject(verified.statement, name, version, integrity)
    return PublisherSignature(envelope=dict(data), keyid=verified.keyid)


def public_pem(key: PublicKey) -> str:
    """``key`` as a PEM ``PUBLIC KEY`` block (SubjectPublicKeyInfo), for export and `--key`."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    raw = Ed25519PublicKey.from_public_bytes(bytes.fromhex(key.public_hex))
    pem = raw.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pem.decode("ascii")
