"""Sigstore bundles supplied at publish, verified offline against the skill's trusted publishers.

A CI job that signs keylessly (Fulcio certificate for its OIDC identity, Rekor log entry)
hands ``tank publish --sigstore-bundle`` a Sigstore bundle. The registry verifies it with the
``sigstore`` package's own :class:`~sigstore.verify.Verifier`, offline:

- the trust root is a file (``sigstore_trusted_root``) or, by default, the production
  Sigstore ``trusted_root.json`` the installed ``sigstore`` package ships; it is never
  refreshed over TUF and nothing here opens a connection (the verifier checks the Rekor
  entry's inclusion proof, signed checkpoint and signed entry timestamp from the bundle
  itself, never by asking Rekor);
- the verifier checks the certificate chain to a Fulcio CA of the root at the log's
  integrated time, the embedded SCT against the root's CT log keys, the code-signing key
  usage, the log entry (inclusion proof, checkpoint, promise) against the root's Rekor keys,
  the signature, and that the log entry records this signature and these bytes;
- the identity policy is the skill's trusted publishers (``tank trusted-publisher add``: of
  the skill or of its scope). A certificate matches one when, exactly: its OIDC issuer
  extension (``1.3.6.1.4.1.57264.1.8``) is the registered issuer; its source repository URI
  (``.1.12``) is ``<forge>/<owner/repo>``; its build signer URI (``.1.9``) and its SAN URI
  are both ``<forge>/<owner/repo>/.github/workflows/<workflow>@<ref>`` for a non-empty ref.
  Fulcio certificates carry no deployment environment, so a registration that requires one
  never matches a bundle (fail closed).

Two bundle contents are accepted: a message signature over the exact tarball bytes, or a DSSE
envelope over an in-toto Statement one of whose subjects has the tarball's SHA-256 (checked
here: the verifier returns the payload unchecked). Anything else refuses the publish.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat import asn1
from cryptography.hazmat.primitives import serialization
from sigstore.errors import Error as SigstoreError
from sigstore.errors import VerificationError
from sigstore.models import Bundle, TrustedRoot
from sigstore.verify import Verifier
from sigstore.verify.policy import (
    AllOf,
    Identity,
    OIDCBuildSignerURI,
    OIDCIssuerV2,
    OIDCSourceRepositoryURI,
    VerificationPolicy,
)

from tank.core import boundedjson
from tank.core.errors import TankError, ValidationError
from tank.core.signing import PAYLOAD_TYPE, digest_b64
from tank.core.trusted_publishing import (
    WORKFLOW_DIR,
    TrustedIdentity,
    forge_url,
    sigstore_signer,
)
from tank.server.errors import ApiError

__all__ = [
    "MAX_BUNDLE_BYTES",
    "SigstoreVerified",
    "load_trusted_root",
    "verifier_for",
    "verify_bundle",
]

#: A bundle is a certificate, a log entry and a signature: a few KiB.
MAX_BUNDLE_BYTES = 64 * 1024
_MAX_DEPTH = 16
#: The production Sigstore trusted root inside the ``sigstore`` package (its TUF seed).
_PRODUCTION = ("https%3A%2F%2Ftuf-repo-cdn.sigstore.dev", "trusted_root.json")
_STATEMENTS = frozenset({"https://in-toto.io/Statement/v1", "https://in-toto.io/Statement/v0.1"})
_OID = "1.3.6.1.4.1.57264.1."
_HINT_REGISTER = (
    "an owner of the scope registers the CI identity that signs (issuer, repository, "
    "workflow) with `tank trusted-publisher add`"
)

_lock = threading.Lock()
_cache: dict[str, tuple[tuple[int, int], Verifier]] = {}


@dataclass(frozen=True, slots=True)
class SigstoreVerified:
    """A bundle that verified: who signed (the matched trusted publisher and what the
    certificate and log entry say) and the bundle itself, as received."""

    signer: str
    identity: dict[str, Any]
    bundle: dict[str, Any]

    @property
    def digest(self) -> str:
        """``sha256-<base64>`` of the bundle's canonical JSON (what a lockfile records)."""
        return digest_b64(self.bundle)

    def as_json(self) -> dict[str, Any]:
        """What the registry stores with the version."""
        return {
            "signer": self.signer,
            "identity": self.identity,
            "digest": self.digest,
            "bundle": self.bundle,
        }


def _unavailable(why: str) -> ApiError:
    return ApiError(
        f"this registry cannot verify Sigstore bundles: {why}",
        status=503,
        code="sigstore_unavailable",
        hint="the registry's administrator fixes TANK_REGISTRY_SIGSTORE_TRUSTED_ROOT (a "
        "Sigstore trusted_root.json); until then publish without --sigstore-bundle",
    )


def load_trusted_root(path: Path | None) -> TrustedRoot:
    """The trusted root at ``path``, or the production one the ``sigstore`` package ships.

    Read from disk only: no TUF refresh, no network. A root that does not load is a 503
    (the registry's configuration, not the publisher's bundle, is at fault).
    """
    try:
        if path is not None:
            return TrustedRoot.from_file(str(path))
        shipped = importlib.resources.files("sigstore._store").joinpath(*_PRODUCTION)
        with importlib.resources.as_file(shipped) as file:
            return TrustedRoot.from_file(str(file))
    except (OSError, ValueError, SigstoreError) as error:
        where = str(path) if path is not None else "the root shipped with sigstore"
        raise _unavailable(f"the trusted root ({where}) does not load: {error}") from None


def verifier_for(path: Path | None) -> Verifier:
    """A verifier over :func:`load_trusted_root`, kept until the file changes."""
    stamp = (0, 0)
    if path is not None:
        try:
            stat = path.stat()
        except OSError as error:
            raise _unavailable(f"the trusted root {path} cannot be read: {error}") from None
        stamp = (stat.st_mtime_ns, stat.st_size)
    key = str(path)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
    try:
        verifier = Verifier(trusted_root=load_trusted_root(path))
    except SigstoreError as error:
        raise _unavailable(f"the trusted root is not usable: {error}") from None
    with _lock:
        _cache[key] = (stamp, verifier)
    return verifier


def _text(cert: x509.Certificate, n: int) -> str | None:
    """The value of Fulcio extension ``1.3.6.1.4.1.57264.1.<n>`` (a DER UTF8String)."""
    try:
        ext = cert.extensions.get_extension_for_oid(x509.ObjectIdentifier(_OID + str(n)))
    except x509.ExtensionNotFound:
        return None
    raw = ext.value
    if not isinstance(raw, x509.UnrecognizedExtension):
        return None
    try:
        return asn1.decode_der(str, raw.value)
    except ValueError:
        return None


def describe(cert: x509.Certificate) -> dict[str, Any]:
    """What a Fulcio certificate says about its holder (for messages and the record)."""
    der = cert.public_bytes(serialization.Encoding.DER)
    return {
        "issuer": _text(cert, 8),
        "source_repository": _text(cert, 12),
        "build_signer": _text(cert, 9),
        "ref": _text(cert, 14),
        "sha": _text(cert, 13),
        "certificate_sha256": hashlib.sha256(der).hexdigest(),
    }


class TrustedPublishers:
    """A :class:`~sigstore.verify.policy.VerificationPolicy`: the certificate's identity is
    one of ``trusted``. Each registration is an ``AllOf`` of ``sigstore``'s own exact-match
    policies; the first that holds is remembered in :attr:`matched`, and when none holds
    :attr:`refusal` says why for each."""

    def __init__(self, trusted: Sequence[TrustedIdentity]) -> None:
        if not trusted:  # like AllOf([]): an empty policy must never pass
            raise ValueError("no trusted publishers to verify against")
        self.trusted = tuple(trusted)
        self.matched: TrustedIdentity | None = None
        self.refusal: str | None = None

    @staticmethod
    def policy(trusted: TrustedIdentity, cert: x509.Certificate) -> VerificationPolicy:
        """The exact policy of one registration. The ref is the only free part: the one the
        certificate names after ``@`` (a registration does not constrain branches)."""
        if trusted.environment is not None:
            raise VerificationError(
                f"it requires the environment {trusted.environment!r}, which Fulcio "
                "certificates do not record"
            )
        repository = f"{forge_url(trusted.issuer)}/{trusted.repository}"
        _, at, ref = (_text(cert, 9) or "").partition("@")
        if not at or not ref:
            raise VerificationError("the certificate names no workflow ref")
        signer = f"{repository}/{WORKFLOW_DIR}{trusted.workflow}@{ref}"
        return AllOf(
            [
                OIDCIssuerV2(trusted.issuer),
                OIDCSourceRepositoryURI(repository),
                OIDCBuildSignerURI(signer),
                Identity(identity=signer),
            ]
        )

    def verify(self, cert: x509.Certificate) -> None:
        """Raise :class:`~sigstore.errors.VerificationError` unless a registration holds."""
        reasons = []
        for trusted in self.trusted:
            try:
                self.policy(trusted, cert).verify(cert)
            except VerificationError as error:
                reasons.append(f"{trusted.repository} {trusted.workflow}: {error}")
                continue
            self.matched = trusted
            return
        self.refusal = "; ".join(reasons)
        raise VerificationError(self.refusal)


def _refused(skill: str, message: str, code: str, hint: str) -> ValidationError:
    return ValidationError(
        f"the Sigstore bundle of {skill} was refused: {message}", code=code, hint=hint
    )


def _parse(text: str, skill: str) -> tuple[dict[str, Any], Bundle]:
    try:
        raw = boundedjson.loads(text, max_bytes=MAX_BUNDLE_BYTES, max_depth=_MAX_DEPTH)
        if not isinstance(raw, dict):
            raise ValueError("not a JSON object")
        return raw, Bundle.from_json(text)
    except (ValueError, SigstoreError) as error:
        raise _refused(
            skill,
            f"it is not a Sigstore bundle ({str(error)[:300]})",
            "sigstore_bundle_invalid",
            "pass the bundle file your CI's Sigstore signer wrote (v0.3 JSON, e.g. "
            "`sigstore sign --bundle`), unchanged",
        ) from None


def _check_statement(payload_type: str, payload: bytes, data: bytes, skill: str) -> str:
    """The DSSE payload must be an in-toto Statement naming the tarball's SHA-256; returns
    its predicate type."""
    hint = "attest the exact tarball `tank pack` made (its sha256) and upload that file"
    if payload_type != PAYLOAD_TYPE:
        raise _refused(
            skill, f"its DSSE payload type is {payload_type!r}", "sigstore_subject_mismatch", hint
        )
    try:
        statement = boundedjson.loads(payload, max_bytes=MAX_BUNDLE_BYTES, max_depth=_MAX_DEPTH)
    except ValueError:
        statement = None
    if not isinstance(statement, dict) or statement.get("_type") not in _STATEMENTS:
        raise _refused(
            skill, "its DSSE payload is not an in-toto Statement", "sigstore_subject_mismatch", hint
        )
    want = hashlib.sha256(data).hexdigest()
    subjects = statement.get("subject")
    digests = [
        s["digest"].get("sha256")
        for s in (subjects if isinstance(subjects, list) else [])
        if isinstance(s, dict) and isinstance(s.get("digest"), dict)
    ]
    if want not in [d.lower() for d in digests if isinstance(d, str)]:
        raise _refused(
            skill,
            f"its Statement names no subject with the tarball's sha256 {want[:16]}…",
            "sigstore_subject_mismatch",
            hint,
        )
    predicate = statement.get("predicateType")
    return predicate if isinstance(predicate, str) else ""


def verify_bundle(
    text: str,
    data: bytes,
    trusted: Sequence[TrustedIdentity],
    verifier: Verifier,
    *,
    skill: str,
) -> SigstoreVerified:
    """Verify the Sigstore bundle ``text`` over the tarball ``data`` for ``skill`` against
    its trusted publishers ``trusted``; raise :class:`ValidationError` (fail closed) with a
    code saying which check refused it."""
    raw, bundle = _parse(text, skill)
    if not trusted:
        raise _refused(
            skill,
            f"no trusted publisher is registered for {skill} or its scope, so no CI identity "
            "may sign it",
            "sigstore_no_policy",
            _HINT_REGISTER,
        )
    policy = TrustedPublishers(trusted)
    predicate: str | None = None
    try:
        envelope = bundle._dsse_envelope  # the public API has no other way to tell the kinds
        if envelope is not None:
            payload_type, payload = verifier.verify_dsse(bundle, policy)
            predicate = _check_statement(payload_type, payload, data, skill)
        else:
            verifier.verify_artifact(data, bundle, policy)
    except TankError:
        raise
    except Exception as error:  # fail closed: whatever the verifier raised refuses
        if policy.refusal is not None:
            seen = describe(bundle.signing_certificate)
            raise _refused(
                skill,
                f"its certificate (issuer {seen['issuer']}, repository "
                f"{seen['source_repository']}, workflow {seen['build_signer']}) matches none "
                f"of the {len(trusted)} trusted publisher(s): {policy.refusal}"[:1500],
                "sigstore_identity_mismatch",
                _HINT_REGISTER + " (repository and workflow compared exactly, case included)",
            ) from None
        message = str(error) or type(error).__name__
        mismatch = "digest mismatch" in message or "inconsistent" in message
        raise _refused(
            skill,
            f"it does not verify: {message[:500]}",
            "sigstore_subject_mismatch" if mismatch else "sigstore_verification_failed",
            "sign the exact tarball `tank pack` made, in CI, with a Sigstore this registry "
            "trusts (its trusted root), and upload the bundle unchanged",
        ) from None
    assert policy.matched is not None  # the verifier ran the policy and it held
    entry = bundle.log_entry._inner
    identity = {
        **describe(bundle.signing_certificate),
        "repository": policy.matched.repository,
        "workflow": policy.matched.workflow,
        "kind": "dsse" if predicate is not None else "message_signature",
        "predicate_type": predicate,
        "log_index": int(entry.log_index),
        "log_id": entry.log_id.key_id.hex(),
        "integrated_time": int(entry.integrated_time) if entry.integrated_time else None,
    }
    return SigstoreVerified(sigstore_signer(policy.matched), identity, raw)


def canonical(bundle: Mapping[str, Any]) -> str:
    """The stored bundle as JSON text again (to verify it once more on a rescan)."""
    return json.dumps(bundle, separators=(",", ":"))
