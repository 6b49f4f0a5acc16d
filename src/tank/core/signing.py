"""Signatures: Ed25519 keys, in-toto Statements and DSSE envelopes.

One module for every signature Tank makes or checks: a publisher signing the tarball it
publishes, the registry signing what it checked (attestations) and its transparency log's
tree heads. The formats are the field's own, not hand-rolled ones:

- a *Statement* is an in-toto Statement v1 (``https://in-toto.io/Statement/v1``) whose subject
  is the canonical tarball, named by its SHA-512 digest, with the skill's name and version as
  subject annotations;
- an *envelope* is a DSSE envelope (``payloadType`` ``application/vnd.in-toto+json``), signed
  and verified by ``securesystemslib`` (its ``dsse.Envelope`` computes the pre-authentication
  encoding, so the signature covers the payload type as well as the bytes);
- a *key* is an Ed25519 public key in securesystemslib's key form, named by its key id (the
  SHA-256 of its canonical JSON), which is also its fingerprint everywhere Tank shows one.

Everything here is pure: it returns values and raises :class:`SignatureError`; where keys are
kept (keyring, files, the registry's database) is the business of the layers above.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from securesystemslib.dsse import Envelope
from securesystemslib.exceptions import VerificationError
from securesystemslib.signer import CryptoSigner, SSlibKey  # type: ignore[attr-defined]

from tank.core import boundedjson
from tank.core.errors import TankError
from tank.core.integrity import parse_sri

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PAYLOAD_TYPE = "application/vnd.in-toto+json"
PUBLISH_PREDICATE = "https://tank.dev/attestation/publish/v1"
"""The predicate of a publisher's signature: "I, the key's owner, publish these bytes"."""

TREE_HEAD_TYPE = "application/vnd.tank.tree-head+json"
"""The payload type of the transparency log's signed tree heads (not in-toto Statements)."""
KEY_ROTATION_TYPE = "application/vnd.tank.key-rotation+json"
"""The payload type of a registry key's endorsement of its successor."""
SKILL_DOCUMENT_TYPE = "application/vnd.tank.skill-document+json"
"""The payload type of the registry's signature over a skill document (its digest, serial
and expiry: :mod:`tank.core.signed_documents`)."""

MAX_ENVELOPE_BYTES = 256 * 1024
"""An envelope is a few hundred bytes to a few KiB; anything near this is not one."""


class SignatureError(TankError):
    """A signature, key or envelope that is malformed, does not verify, or signs other bytes."""

    default_code = "signature_invalid"


@dataclass(frozen=True, slots=True)
class PublicKey:
    """An Ed25519 public key; ``keyid`` (64 hex) is its fingerprint."""

    keyid: str
    public_hex: str

    def as_dict(self) -> dict[str, object]:
        """securesystemslib's key form: ``{"keytype", "scheme", "keyval": {"public"}}``."""
        return _sslib(self).to_dict()


@dataclass(frozen=True, slots=True)
class Verified:
    """An envelope that verified: which key signed it and the Statement (or, from
    :func:`verify_payload`, the JSON object) it carries."""

    keyid: str
    statement: Mapping[str, Any]


def _sslib(key: PublicKey) -> SSlibKey:
    return SSlibKey(
        key.keyid, "ed25519", "ed25519", {"public": key.public_hex}, unrecognized_fields={}
    )


def _public(raw: Ed25519PublicKey) -> PublicKey:
    key = SSlibKey.from_crypto(raw)
    return PublicKey(keyid=key.keyid, public_hex=key.keyval["public"])


def parse_public_key(value: object) -> PublicKey:
    """A public key given as securesystemslib's dict, its JSON text, or a PEM block."""
    if isinstance(value, str) and value.lstrip().startswith("-----BEGIN"):
        try:
            raw = serialization.load_pem_public_key(value.encode("ascii"))
        except (ValueError, UnicodeEncodeError) as error:
            raise SignatureError(
                f"not a PEM public key: {error}", hint="Export it with `tank keys list --pem`."
            ) from None
        if not isinstance(raw, Ed25519PublicKey):
            raise SignatureError(
                "only Ed25519 keys are accepted", hint="Create one with `tank keys generate`."
            )
        return _public(raw)
    if isinstance(value, str):
        try:
            value = boundedjson.loads(value, max_bytes=4096)
        except ValueError:
            raise SignatureError(
                "a public key is a PEM block or securesystemslib key JSON",
                hint="Export it with `tank keys list --json`.",
            ) from None
    if not isinstance(value, Mapping):
        raise SignatureError("a public key must be a JSON object")
    keyval = value.get("keyval")
    public = keyval.get("public") if isinstance(keyval, Mapping) else None
    if value.get("keytype") != "ed25519" or value.get("scheme") != "ed25519":
        raise SignatureError(
            "only Ed25519 keys are accepted (keytype and scheme 'ed25519')",
            hint="Create one with `tank keys generate`.",
        )
    try:
        raw = Ed25519PublicKey.from_public_bytes(bytes.fromhex(str(public)))
    except ValueError:
        raise SignatureError("the key's 'keyval.public' is not 32 bytes of hex") from None
    return _public(raw)


def generate_key(passphrase: bytes | None = None) -> tuple[bytes, PublicKey]:
    """A new Ed25519 key: its private half as PKCS#8 PEM (encrypted when ``passphrase``)."""
    private = Ed25519PrivateKey.generate()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    return pem, _public(private.public_key())


@dataclass(frozen=True, slots=True)
class Signer:
    """A private key ready to sign; ``public`` is its public half."""

    public: PublicKey
    _signer: CryptoSigner

    def sign_statement(self, statement: Mapping[str, Any]) -> dict[str, Any]:
        """A DSSE envelope (as a JSON-ready dict) over the canonical JSON of ``statement``."""
        return self.sign_payload(statement, PAYLOAD_TYPE)

    def sign_payload(self, body: Mapping[str, Any], payload_type: str) -> dict[str, Any]:
        """A DSSE envelope over the canonical JSON of ``body``, typed ``payload_type``.

        For what is not an in-toto Statement (a tree head, a key rotation): DSSE's
        pre-authentication encoding binds the type, so a signed tree head can never be
        replayed as a Statement, nor the other way round.
        """
        envelope = Envelope(payload=canonical_json(body), payload_type=payload_type, signatures={})
        envelope.sign(self._signer)
        return dict(envelope.to_dict())


def load_signer(pem: bytes, passphrase: bytes | None = None) -> Signer:
    """The signer for a PKCS#8 PEM private key; a wrong or missing passphrase is an error."""
    try:
        private = serialization.load_pem_private_key(pem, password=passphrase or None)
    except TypeError:
        raise SignatureError(
            "the private key is protected by a passphrase",
            code="key_passphrase_required",
            hint="Give it with TANK_KEY_PASSPHRASE or answer the prompt.",
        ) from None
    except ValueError:
        raise SignatureError(
            "the private key cannot be read (wrong passphrase, or not a PEM private key)",
            code="key_unreadable",
            hint="Check the passphrase, or create a new key with `tank keys generate`.",
        ) from None
    if not isinstance(private, Ed25519PrivateKey):
        raise SignatureError("only Ed25519 private keys are accepted")
    public = _public(private.public_key())
    return Signer(public=public, _signer=CryptoSigner(private, _sslib(public)))


def canonical_json(value: object) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same value always gives the same bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def publish_statement(
    name: str, version: str, integrity: str, predicate: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The Statement a publisher signs: subject = the tarball's SHA-512, name and version."""
    return statement(name, version, integrity, PUBLISH_PREDICATE, predicate or {})


def statement(
    name: str,
    version: str,
    integrity: str,
    predicate_type: str,
    predicate: Mapping[str, Any],
) -> dict[str, Any]:
    """An in-toto Statement v1 about the canonical tarball of ``name@version``."""
    algorithm, digest = parse_sri(integrity)
    return {
        "_type": STATEMENT_TYPE,
        "subject": [
            {
                "name": tarball_name(name, version),
                "digest": {algorithm: digest.hex()},
                "annotations": {"tank.name": name, "tank.version": version},
            }
        ],
        "predicateType": predicate_type,
        "predicate": dict(predicate),
    }


def tarball_name(name: str, version: str) -> str:
    """``@acme/pdf-tools`` 1.2.0 → ``acme-pdf-tools-1.2.0.tgz`` (npm's file naming)."""
    return f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"


def parse_envelope(value: object) -> Mapping[str, Any]:
    """A DSSE envelope given as a dict or JSON text, bounded in size and depth."""
    if isinstance(value, str | bytes):
        try:
            value = boundedjson.loads(value, max_bytes=MAX_ENVELOPE_BYTES, max_depth=16)
        except ValueError as error:
            raise SignatureError(f"the signature is not a DSSE envelope: {error}") from None
    if not isinstance(value, Mapping):
        raise SignatureError("the signature is not a DSSE envelope (a JSON object)")
    if len(canonical_json(value)) > MAX_ENVELOPE_BYTES:
        raise SignatureError(f"the envelope is larger than {MAX_ENVELOPE_BYTES} bytes")
    return value


def verify_envelope(value: object, keys: Sequence[PublicKey]) -> Verified:
    """Check ``value`` is a DSSE envelope signed by one of ``keys``; return signer + Statement.

    Fails closed: an envelope that does not parse, has another payload type, carries no valid
    signature by a given key, or whose payload is not an in-toto Statement v1 is refused.
    """
    verified = verify_payload(value, keys, PAYLOAD_TYPE)
    if verified.statement.get("_type") != STATEMENT_TYPE:
        raise SignatureError(f"the signed payload is not an in-toto Statement ({STATEMENT_TYPE})")
    return verified


def verify_payload(value: object, keys: Sequence[PublicKey], payload_type: str) -> Verified:
    """Check ``value`` is a DSSE envelope of ``payload_type`` signed by one of ``keys``, whose
    payload is a JSON object; return the signer and that object. Fails closed as
    :func:`verify_envelope` does."""
    data = parse_envelope(value)
    signatures = data.get("signatures")
    if (
        not isinstance(data.get("payload"), str)
        or not isinstance(data.get("payloadType"), str)
        or not isinstance(signatures, list)
        or not all(
            isinstance(s, dict)
            and isinstance(s.get("keyid"), str)
            and isinstance(s.get("sig"), str)
            for s in signatures
        )
    ):
        raise SignatureError(
            "the signature is not a DSSE envelope (payload, payloadType and signatures "
            "with keyid and sig, all strings)"
        )
    # A copy: securesystemslib's from_dict rewrites and pops the signature dicts it is
    # given, which would corrupt the caller's envelope (one about to be stored, say).
    copy = {
        "payload": data["payload"],
        "payloadType": data["payloadType"],
        "signatures": [dict(s) for s in signatures],
    }
    try:
        envelope = Envelope.from_dict(copy)
    except (KeyError, TypeError, ValueError, binascii.Error) as error:
        raise SignatureError(f"the signature is not a DSSE envelope: {error}") from None
    if envelope.payload_type != payload_type:
        raise SignatureError(
            f"the envelope's payloadType is {envelope.payload_type!r}, not {payload_type!r}"
        )
    publisher = payload_type == PAYLOAD_TYPE
    if not keys:
        raise SignatureError(
            "no key to verify the signature against",
            code="signature_unknown_key",
            hint="Register the signing key with `tank keys add`." if publisher else None,
        )
    try:
        accepted = envelope.verify([_sslib(k) for k in keys], 1)
    except VerificationError:
        ids = ", ".join(sorted(s.keyid[:16] for s in envelope.signatures.values())) or "none"
        raise SignatureError(
            f"the signature does not verify against the known keys (signed by: {ids})",
            code="signature_unknown_key",
            hint=(
                "Sign with a key registered to the account (`tank keys list`) and not revoked."
                if publisher
                else None
            ),
        ) from None
    try:
        body = boundedjson.loads(envelope.payload, max_bytes=MAX_ENVELOPE_BYTES, max_depth=16)
    except ValueError as error:
        raise SignatureError(f"the signed payload is not JSON: {error}") from None
    if not isinstance(body, Mapping):
        raise SignatureError("the signed payload is not a JSON object")
    return Verified(keyid=sorted(accepted)[0], statement=body)


def check_subject(statement: Mapping[str, Any], name: str, version: str, integrity: str) -> None:
    """Raise unless ``statement`` names exactly the tarball ``integrity`` of ``name@version``."""
    algorithm, digest = parse_sri(integrity)
    subjects = statement.get("subject")
    if not isinstance(subjects, list) or len(subjects) != 1 or not isinstance(subjects[0], dict):
        raise SignatureError("the signed Statement must name exactly one subject")
    subject = subjects[0]
    digests = subject.get("digest")
    signed = digests.get(algorithm) if isinstance(digests, dict) else None
    if signed != digest.hex():
        raise SignatureError(
            f"the signature is over other bytes than {name}@{version} (tarball digest differs)",
            code="signature_subject_mismatch",
            hint="Sign the tarball you publish; `tank publish` does this for you.",
        )
    notes = subject.get("annotations")
    if not isinstance(notes, dict) or (notes.get("tank.name"), notes.get("tank.version")) != (
        name,
        version,
    ):
        raise SignatureError(
            f"the signature names another skill or version than {name}@{version}",
            code="signature_subject_mismatch",
        )


def digest_b64(envelope: Mapping[str, Any]) -> str:
    """``sha256-<base64>`` of an envelope's canonical JSON: how logs and lockfiles name it."""
    raw = hashlib.sha256(canonical_json(envelope)).digest()
    return "sha256-" + base64.b64encode(raw).decode("ascii")
