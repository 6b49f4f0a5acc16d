"""Signed skill documents: the registry's word on a skill's versions, with an expiry and a serial.

The document the resolver reads (``GET /v1/skills/{scope}/{name}``: versions, integrity,
yanked and failed state) is what an attacker between client and registry — a mirror, a
caching proxy, a compromised CDN — would want to replay. Following TUF's threat model:

- a **rollback attack** serves an older document (one listing fewer versions, or a version
  not yet yanked): every document carries a per-skill ``serial`` that grows with every change,
  and the client refuses one older than the newest it has seen;
- a **freeze attack** keeps serving the same, still-valid-looking document so the client never
  learns of a yank or a new version: every signature ``expires``, and the client refuses an
  expired one;
- a **tampered document** fails the signature: the signed payload names the SHA-256 of the
  exact body bytes.

The signature is a DSSE envelope (payload type
:data:`~tank.core.signing.SKILL_DOCUMENT_TYPE`) over a small JSON object naming the skill,
the serial, the body's digest and the validity window; it travels beside the unchanged body
(an HTTP header, :data:`HEADER`), the way TUF's snapshot and timestamp roles name other
metadata by hash. Re-signing as the expiry nears costs no change to the body or its ETag.

Pure: times come in as arguments, errors are :class:`MetadataError`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tank.core.errors import IntegrityError
from tank.core.signing import (
    SKILL_DOCUMENT_TYPE,
    PublicKey,
    SignatureError,
    Signer,
    canonical_json,
    verify_payload,
)

BODY_TYPE = "https://tank.dev/metadata/skill-document/v1"
HEADER = "Tank-Document-Signature"
"""The response header carrying the envelope (base64 of its canonical JSON)."""
MAX_HEADER_CHARS = 8192


class MetadataError(IntegrityError):
    """A skill document that is unsigned where it must be signed, badly signed, expired, or
    older than one already seen."""

    default_code = "metadata_invalid"


@dataclass(frozen=True, slots=True)
class SignedDocument:
    """What a verified signature says about one document body."""

    name: str
    serial: int
    sha256: str
    issued: datetime
    expires: datetime
    keyid: str


def stamp(moment: datetime) -> str:
    """RFC 3339 UTC with ``Z``, whole seconds."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _parse_stamp(value: object) -> datetime:
    if not isinstance(value, str) or not value.endswith("Z") or len(value) > 40:
        raise ValueError("not an RFC 3339 UTC time")
    moment = datetime.fromisoformat(value[:-1] + "+00:00")
    return moment.astimezone(UTC)


def sign_document(
    signer: Signer,
    name: str,
    serial: int,
    body: bytes,
    *,
    now: datetime,
    lifetime: timedelta,
) -> dict[str, Any]:
    """The DSSE envelope over ``body`` (the exact bytes served) of skill ``name``."""
    # Whole seconds: ``issued`` rounded down, ``expires`` up, so the window is never shorter
    # than ``lifetime`` (it matters for the short lifetimes tests use).
    end = now + lifetime
    if end.microsecond:
        end = end.replace(microsecond=0) + timedelta(seconds=1)
    payload = {
        "type": BODY_TYPE,
        "name": name,
        "serial": serial,
        "sha256": hashlib.sha256(body).hexdigest(),
        "issued": stamp(now),
        "expires": stamp(end),
    }
    return signer.sign_payload(payload, SKILL_DOCUMENT_TYPE)


def encode_header(envelope: Mapping[str, Any]) -> str:
    """The header value: base64 of the envelope's canonical JSON (ASCII, no separators that
    a proxy might fold)."""
    return base64.b64encode(canonical_json(envelope)).decode("ascii")


def decode_header(value: str, *, registry: str) -> Mapping[str, Any]:
    """The envelope a header value carries (bounded); anything else is a :class:`MetadataError`."""
    if len(value) > MAX_HEADER_CHARS:
        raise _bad(registry, f"its {HEADER} header is longer than {MAX_HEADER_CHARS} characters")
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
        envelope = _small_json(raw)
    except (ValueError, binascii.Error, UnicodeEncodeError):
        raise _bad(registry, f"its {HEADER} header is not a base64 DSSE envelope") from None
    if not isinstance(envelope, Mapping):
        raise _bad(registry, f"its {HEADER} header is not a DSSE envelope")
    return envelope


def _small_json(raw: bytes) -> Any:
    """JSON from a header-sized input (at most :data:`MAX_HEADER_CHARS`, so its size is
    bounded already; nesting deeper than the C parser's recursion limit raises, caught here).

    Not :func:`tank.core.boundedjson.loads`: its pure-Python pre-scan costs ~0.1 ms a call,
    paid per skill on every warm resolution, for inputs this small.
    """
    if len(raw) > MAX_HEADER_CHARS:
        raise ValueError("larger than a header")
    try:
        return json.loads(raw)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def signed_by(envelope: Mapping[str, Any]) -> set[str]:
    """The key ids an envelope claims to be signed by (unverified: to pick keys to fetch)."""
    signatures = envelope.get("signatures")
    if not isinstance(signatures, list):
        return set()
    return {
        s["keyid"] for s in signatures if isinstance(s, dict) and isinstance(s.get("keyid"), str)
    }


def _bad(registry: str, why: str, name: str | None = None) -> MetadataError:
    what = f"the skill document of {name}" if name else "a skill document"
    return MetadataError(
        f"{what} from the registry at {registry} is not validly signed: {why}",
        code="metadata_signature_invalid",
        hint="something between you and the registry changed it (a proxy, mirror or "
        "attacker); do not install from this source, and tell the registry's administrator",
    )


def verify_document(
    envelope: Mapping[str, Any],
    body: bytes,
    keys: Sequence[PublicKey],
    name: str,
    *,
    registry: str,
) -> SignedDocument:
    """Check ``envelope`` is a registry key's signature over exactly ``body``, the document
    of ``name``; return what it says. Expiry and rollback are checked separately
    (:func:`check_fresh`, :func:`check_not_older`), against the caller's clock and memory."""
    try:
        verified = verify_payload(envelope, keys, SKILL_DOCUMENT_TYPE)
    except SignatureError as error:
        raise _bad(registry, error.message, name) from None
    return _read(verified.statement, verified.keyid, body, name, registry)


def read_verified(
    envelope: Mapping[str, Any], body: bytes, name: str, *, registry: str
) -> SignedDocument:
    """What ``envelope`` says about ``body``, *without* checking the signature again: only
    for an envelope :func:`verify_document` accepted before, kept by the client itself (its
    metadata cache). The body's digest and the skill's name are still checked."""
    payload = envelope.get("payload")
    try:
        raw = base64.b64decode(str(payload).encode("ascii"), validate=True)
        signed = _small_json(raw)
    except (ValueError, binascii.Error, UnicodeEncodeError):
        raise _bad(registry, "the kept signature's payload is unreadable", name) from None
    if envelope.get("payloadType") != SKILL_DOCUMENT_TYPE or not isinstance(signed, Mapping):
        raise _bad(registry, "the kept signature is not a skill document's", name)
    ids = sorted(signed_by(envelope))
    return _read(signed, ids[0] if ids else "", body, name, registry)


def _read(
    signed: Mapping[str, Any], keyid: str, body: bytes, name: str, registry: str
) -> SignedDocument:
    serial = signed.get("serial")
    try:
        issued = _parse_stamp(signed.get("issued"))
        expires = _parse_stamp(signed.get("expires"))
    except ValueError:
        raise _bad(registry, "its validity times are malformed", name) from None
    if (
        signed.get("type") != BODY_TYPE
        or not isinstance(serial, int)
        or isinstance(serial, bool)
        or serial < 0
        or not isinstance(signed.get("sha256"), str)
    ):
        raise _bad(registry, "the signed payload is malformed", name)
    if signed.get("name") != name:
        raise _bad(registry, f"the signature is for the document of {signed.get('name')!r}", name)
    if hashlib.sha256(body).hexdigest() != signed["sha256"]:
        raise _bad(registry, "the body differs from the one signed (digest mismatch)", name)
    return SignedDocument(name, serial, signed["sha256"], issued, expires, keyid)


def age_text(seconds: float) -> str:
    """``90061`` → ``1 d 1 h 1 min``; under a minute, seconds."""
    whole = int(max(0, seconds))
    if whole < 60:
        return f"{whole} s"
    days, rest = divmod(whole, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "", f"{minutes} min"]
    return " ".join(p for p in parts if p and not (p == "0 min" and (days or hours)))


def check_fresh(doc: SignedDocument, now: datetime, *, registry: str) -> None:
    """Raise unless ``doc``'s signature is still valid at ``now`` (a freeze attack serves an
    old, genuinely signed document for as long as it can)."""
    if now < doc.expires:
        return
    raise MetadataError(
        f"the skill document of {doc.name} from the registry at {registry} expired "
        f"{age_text((now - doc.expires).total_seconds())} ago (signed {stamp(doc.issued)}, "
        f"valid until {stamp(doc.expires)}, serial {doc.serial})",
        code="metadata_expired",
        hint="a mirror, proxy or cache may be replaying an old copy (a freeze attack), or "
        "your clock is wrong: check the date, then run again with --refresh; if the registry "
        "itself serves it, its administrator must fix its signing",
    )


def check_not_older(doc: SignedDocument, seen: int | None, *, registry: str, state: str) -> None:
    """Raise when ``doc`` is older than serial ``seen``, the newest this client saw for the
    skill (a rollback attack replays an older, genuinely signed document)."""
    if seen is None or doc.serial >= seen:
        return
    raise MetadataError(
        f"the registry at {registry} served the skill document of {doc.name} at serial "
        f"{doc.serial}, older than serial {seen} you have already seen (signed "
        f"{stamp(doc.issued)}): a rollback to old metadata",
        code="metadata_rollback",
        hint="something is replaying an old copy (a mirror, proxy or attacker): do not install "
        "from this source. Only if the registry's administrator confirms the registry was "
        f"restored from a backup, delete {state} to accept its documents anew",
    )
