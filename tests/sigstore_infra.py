"""A private Sigstore for tests: Fulcio CA, CT log, Rekor log, bundles and a trusted root.

The public Sigstore services are out of reach here, so the tests make their own, with real
keys and real signatures, in the formats the `sigstore` package verifies:

- a Fulcio-like CA (a self-signed root, ECDSA P-384) that issues short-lived ECDSA P-256
  leaf certificates with Fulcio's extensions (OIDC issuer ``1.3.6.1.4.1.57264.1.1`` and
  ``.1.8``, build signer URI ``.1.9``, source repository URI ``.1.12``, its digest ``.1.13``
  and ref ``.1.14``, build config URI ``.1.18``, …), the identity in the SAN URI, code-signing
  EKU, and an embedded SCT (RFC 6962 precertificate SCT) signed by a test CT log key;
- a Rekor-like log: the entry body (``hashedrekord`` or ``dsse`` 0.0.1), its leaf in a small
  RFC 6962 Merkle tree with an inclusion proof, a signed checkpoint (a signed note), and a
  signed entry timestamp (the inclusion promise, over the RFC 8785 canonical entry);
- a bundle (v0.3 JSON) holding either a message signature over the artifact or a DSSE
  envelope over an in-toto Statement, and a ``trusted_root.json`` naming the CA and the two
  log keys.

No RFC 3161 timestamp authority is made: the bundle's time comes from the log's integrated
time (a Rekor v1 entry with its inclusion promise), which is what the verifier accepts
without one. Everything here is test-only; it never reaches production code.
"""

from __future__ import annotations

import base64
import hashlib
import json
import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tank.core import merkle

GITHUB_ISSUER = "https://token.actions.githubusercontent.com"
IN_TOTO = "application/vnd.in-toto+json"
_SCT_OID = x509.ObjectIdentifier("1.3.6.1.4.1.11129.2.4.2")
_FULCIO = "1.3.6.1.4.1.57264.1."


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _spki(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _log_id(key: ec.EllipticCurvePrivateKey) -> bytes:
    return hashlib.sha256(_spki(key)).digest()


def _utf8(text: str) -> bytes:
    """A DER UTF8String (what Fulcio puts in its ``.1.8``+ extensions)."""
    raw = text.encode()
    if len(raw) < 0x80:
        return bytes([0x0C, len(raw)]) + raw
    size = len(raw).to_bytes((len(raw).bit_length() + 7) // 8, "big")
    return bytes([0x0C, 0x80 | len(size)]) + size + raw


def _octets(data: bytes) -> bytes:
    """A DER OCTET STRING."""
    if len(data) < 0x80:
        return bytes([0x04, len(data)]) + data
    size = len(data).to_bytes((len(data).bit_length() + 7) // 8, "big")
    return bytes([0x04, 0x80 | len(size)]) + size + data


@dataclass(frozen=True, slots=True)
class Identity:
    """The CI job a certificate is issued to (GitHub Actions' shape)."""

    repository: str = "acme/pdf-tools"
    workflow: str = "release.yml"
    ref: str = "refs/heads/main"
    sha: str = "a" * 40
    issuer: str = GITHUB_ISSUER
    forge: str = "https://github.com"
    #: Replace the build signer URI outright (a workflow of another repository, say).
    signer_uri: str | None = None

    @property
    def build_signer_uri(self) -> str:
        """``https://github.com/owner/repo/.github/workflows/release.yml@refs/heads/main``."""
        if self.signer_uri is not None:
            return self.signer_uri
        return f"{self.forge}/{self.repository}/.github/workflows/{self.workflow}@{self.ref}"

    @property
    def repository_uri(self) -> str:
        """``https://github.com/owner/repo``."""
        return f"{self.forge}/{self.repository}"


def _ec(curve: ec.EllipticCurve | None = None) -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(curve or ec.SECP256R1())


@dataclass
class Sigstore:
    """One private Sigstore deployment: a CA, a CT log and a Rekor log, with their keys."""

    ca_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: _ec(ec.SECP384R1()))
    ct_key: ec.EllipticCurvePrivateKey = field(default_factory=_ec)
    rekor_key: ec.EllipticCurvePrivateKey = field(default_factory=_ec)
    origin: str = "rekor.test.invalid - 1234"
    start: datetime = field(default_factory=lambda: datetime.now(UTC) - timedelta(days=1))
    ca_cert: x509.Certificate = field(init=False)

    def __post_init__(self) -> None:
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "tank-test"),
                x509.NameAttribute(NameOID.COMMON_NAME, "tank-test-fulcio"),
            ]
        )
        public = self.ca_key.public_key()
        self.ca_cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(self.start)
            .not_valid_after(self.start + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .sign(self.ca_key, hashes.SHA384())
        )

    # --- the trusted root -------------------------------------------------------------

    def trusted_root(self) -> dict[str, Any]:
        """The ``trusted_root.json`` of this deployment (Sigstore's TrustedRoot v0.1)."""
        since = self.start.strftime("%Y-%m-%dT%H:%M:%SZ")

        def log(key: ec.EllipticCurvePrivateKey, url: str) -> dict[str, Any]:
            return {
                "baseUrl": url,
                "hashAlgorithm": "SHA2_256",
                "publicKey": {
                    "rawBytes": _b64(_spki(key)),
                    "keyDetails": "PKIX_ECDSA_P256_SHA_256",
                    "validFor": {"start": since},
                },
                "logId": {"keyId": _b64(_log_id(key))},
            }

        return {
            "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "tlogs": [log(self.rekor_key, "https://rekor.test.invalid")],
            "certificateAuthorities": [
                {
                    "subject": {"organization": "tank-test", "commonName": "tank-test-fulcio"},
                    "uri": "https://fulcio.test.invalid",
                    "certChain": {
                        "certificates": [
                            {
                                "rawBytes": _b64(
                                    self.ca_cert.public_bytes(serialization.Encoding.DER)
                                )
                            }
                        ]
                    },
                    "validFor": {"start": since},
                }
            ],
            "ctlogs": [log(self.ct_key, "https://ctfe.test.invalid")],
            "timestampAuthorities": [],
        }

    def write_trusted_root(self, path: Path) -> Path:
        """Write :meth:`trusted_root` to ``path``; return it."""
        path.write_text(json.dumps(self.trusted_root(), indent=2))
        return path

    # --- Fulcio ---------------------------------------------------------------------

    def _leaf_builder(
        self, key: ec.EllipticCurvePrivateKey, who: Identity, when: datetime
    ) -> x509.CertificateBuilder:
        def ext(n: int, value: bytes) -> x509.UnrecognizedExtension:
            return x509.UnrecognizedExtension(x509.ObjectIdentifier(_FULCIO + str(n)), value)

        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([]))
            .issuer_name(self.ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(when - timedelta(minutes=1))
            .not_valid_after(when + timedelta(minutes=10))
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.ca_key.public_key()),
                False,
            )
            .add_extension(
                x509.SubjectAlternativeName([x509.UniformResourceIdentifier(who.build_signer_uri)]),
                critical=True,
            )
        )
        values = [
            (1, who.issuer.encode()),  # legacy: raw bytes
            (8, _utf8(who.issuer)),
            (9, _utf8(who.build_signer_uri)),
            (10, _utf8(who.sha)),
            (11, _utf8("github-hosted")),
            (12, _utf8(who.repository_uri)),
            (13, _utf8(who.sha)),
            (14, _utf8(who.ref)),
            (18, _utf8(who.build_signer_uri)),
            (19, _utf8(who.sha)),
            (20, _utf8("push")),
        ]
        for n, value in values:
            builder = builder.add_extension(ext(n, value), critical=False)
        return builder

    def issue(
        self, key: ec.EllipticCurvePrivateKey, who: Identity, when: datetime
    ) -> x509.Certificate:
        """A Fulcio-style leaf for ``key`` and ``who`` with an embedded SCT by the CT log.

        The SCT signs the *precertificate*: the final certificate's TBS without the SCT
        extension, which is exactly the TBS of the same certificate built without it.
        """
        builder = self._leaf_builder(key, who, when)
        pre = builder.sign(self.ca_key, hashes.SHA384())
        tbs = pre.tbs_certificate_bytes
        millis = int(when.timestamp() * 1000)
        issuer_key_hash = hashlib.sha256(
            self.ca_key.public_key().public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        ).digest()
        signed = (
            struct.pack("!BBQH", 0, 0, millis, 1)  # v1, certificate_timestamp, time, precert
            + issuer_key_hash
            + len(tbs).to_bytes(3, "big")
            + tbs
            + struct.pack("!H", 0)  # no extensions
        )
        signature = self.ct_key.sign(signed, ec.ECDSA(hashes.SHA256()))
        sct = (
            struct.pack("!B", 0)
            + _log_id(self.ct_key)
            + struct.pack("!QH", millis, 0)
            + struct.pack("!BBH", 4, 3, len(signature))  # sha256, ecdsa
            + signature
        )
        sct_list = struct.pack("!H", len(sct) + 2) + struct.pack("!H", len(sct)) + sct
        extension = x509.UnrecognizedExtension(_SCT_OID, _octets(sct_list))
        final = builder.add_extension(extension, critical=False).sign(self.ca_key, hashes.SHA384())
        assert final.tbs_precertificate_bytes == tbs
        return final

    # --- Rekor ----------------------------------------------------------------------

    def log_entry(
        self,
        body: dict[str, Any],
        when: datetime,
        *,
        index: int = 3,
        size: int = 6,
        checkpoint_key: ec.EllipticCurvePrivateKey | None = None,
        set_key: ec.EllipticCurvePrivateKey | None = None,
    ) -> dict[str, Any]:
        """A ``TransparencyLogEntry`` (bundle JSON) for ``body`` at leaf ``index`` of a
        tree of ``size`` leaves, with a signed checkpoint and a signed entry timestamp
        (by this log's key unless another is given)."""
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
        leaves = [merkle.leaf_hash(f"other entry {i}".encode()) for i in range(size)]
        leaves[index] = merkle.leaf_hash(canonical)
        root = merkle.root(leaves)
        proof = merkle.inclusion_proof(index, leaves)
        log_id = _log_id(self.rekor_key)
        note = f"{self.origin}\n{size}\n{_b64(root)}\n"
        signer = checkpoint_key or self.rekor_key
        note_sig = signer.sign(note.encode(), ec.ECDSA(hashes.SHA256()))
        checkpoint = note + f"\n\u2014 {self.origin.split()[0]} {_b64(log_id[:4] + note_sig)}\n"
        integrated = int(when.timestamp())
        promise = json.dumps(
            {
                "body": _b64(canonical),
                "integratedTime": integrated,
                "logID": log_id.hex(),
                "logIndex": index,
            },
            sort_keys=True,
            separators=(",", ":"),
        ).encode()
        entry_sig = (set_key or self.rekor_key).sign(promise, ec.ECDSA(hashes.SHA256()))
        return {
            "logIndex": str(index),
            "logId": {"keyId": _b64(log_id)},
            "kindVersion": {"kind": body["kind"], "version": body["apiVersion"]},
            "integratedTime": str(integrated),
            "inclusionPromise": {"signedEntryTimestamp": _b64(entry_sig)},
            "inclusionProof": {
                "logIndex": str(index),
                "rootHash": _b64(root),
                "treeSize": str(size),
                "hashes": [_b64(h) for h in proof],
                "checkpoint": {"envelope": checkpoint},
            },
            "canonicalizedBody": _b64(canonical),
        }

    # --- bundles --------------------------------------------------------------------

    def sign_artifact(
        self, data: bytes, who: Identity | None = None, **entry: Any
    ) -> dict[str, Any]:
        """A v0.3 bundle with a message signature over ``data`` (a ``hashedrekord``)."""
        who, key, when = who or Identity(), _ec(), datetime.now(UTC)
        cert = self.issue(key, who, when)
        signature = key.sign(data, ec.ECDSA(hashes.SHA256()))
        digest = hashlib.sha256(data).digest()
        body = {
            "apiVersion": "0.0.1",
            "kind": "hashedrekord",
            "spec": {
                "data": {"hash": {"algorithm": "sha256", "value": digest.hex()}},
                "signature": {
                    "content": _b64(signature),
                    "publicKey": {"content": _b64(cert.public_bytes(serialization.Encoding.PEM))},
                },
            },
        }
        return self._bundle(
            cert,
            self.log_entry(body, when, **entry),
            messageSignature={
                "messageDigest": {"algorithm": "SHA2_256", "digest": _b64(digest)},
                "signature": _b64(signature),
            },
        )

    def sign_statement(
        self, statement: dict[str, Any], who: Identity | None = None, **entry: Any
    ) -> dict[str, Any]:
        """A v0.3 bundle with a DSSE envelope over the in-toto ``statement`` (a ``dsse``
        entry)."""
        who, key, when = who or Identity(), _ec(), datetime.now(UTC)
        cert = self.issue(key, who, when)
        payload = json.dumps(statement).encode()
        pae = f"DSSEv1 {len(IN_TOTO)} {IN_TOTO} {len(payload)} ".encode() + payload
        signature = key.sign(pae, ec.ECDSA(hashes.SHA256()))
        envelope = {
            "payload": _b64(payload),
            "payloadType": IN_TOTO,
            "signatures": [{"sig": _b64(signature)}],
        }
        pem = _b64(cert.public_bytes(serialization.Encoding.PEM))
        body = {
            "apiVersion": "0.0.1",
            "kind": "dsse",
            "spec": {
                "envelopeHash": {
                    "algorithm": "sha256",
                    "value": hashlib.sha256(json.dumps(envelope).encode()).hexdigest(),
                },
                "payloadHash": {
                    "algorithm": "sha256",
                    "value": hashlib.sha256(payload).hexdigest(),
                },
                "signatures": [{"signature": _b64(signature), "verifier": pem}],
            },
        }
        return self._bundle(cert, self.log_entry(body, when, **entry), dsseEnvelope=envelope)

    @staticmethod
    def _bundle(cert: x509.Certificate, entry: dict[str, Any], **content: Any) -> dict[str, Any]:
        return {
            "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
            "verificationMaterial": {
                "certificate": {"rawBytes": _b64(cert.public_bytes(serialization.Encoding.DER))},
                "tlogEntries": [entry],
            },
            **content,
        }


def statement_for(
    data: bytes, *, name: str = "pdf.tgz", digest: str | None = None
) -> dict[str, Any]:
    """An in-toto Statement v1 naming ``data`` by its SHA-256 (or ``digest``), with an SLSA
    provenance predicate type (what ``actions/attest-build-provenance`` makes)."""
    return {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [
            {"name": name, "digest": {"sha256": digest or hashlib.sha256(data).hexdigest()}}
        ],
        "predicateType": "https://slsa.dev/provenance/v1",
        "predicate": {"buildDefinition": {"buildType": "test"}, "runDetails": {}},
    }
