"""Signed skill documents (tank.core.signed_documents): every way a document can lie fails."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from tank.core.signed_documents import (
    MetadataError,
    age_text,
    check_fresh,
    check_not_older,
    decode_header,
    encode_header,
    sign_document,
    verify_document,
)
from tank.core.signing import canonical_json, generate_key, load_signer

NOW = datetime(2025, 6, 1, 12, 0, 0, 500_000, tzinfo=UTC)
BODY = b'{"name":"@acme/pdf","versions":{}}'
DAY = timedelta(days=1)


def signed(body: bytes = BODY, serial: int = 3, name: str = "@acme/pdf"):  # type: ignore[no-untyped-def]
    pem, public = generate_key()
    signer = load_signer(pem)
    return sign_document(signer, name, serial, body, now=NOW, lifetime=DAY), public, signer


def test_round_trip_through_the_header() -> None:
    envelope, public, _ = signed()
    back = decode_header(encode_header(envelope), registry="r")
    doc = verify_document(back, BODY, [public], "@acme/pdf", registry="r")
    assert doc.serial == 3 and doc.keyid == public.keyid
    assert doc.issued == NOW.replace(microsecond=0)
    assert doc.expires == NOW.replace(microsecond=0) + DAY + timedelta(seconds=1)  # rounded up
    check_fresh(doc, NOW + DAY, registry="r")
    check_not_older(doc, 3, registry="r", state="s")
    check_not_older(doc, None, registry="r", state="s")


def test_a_changed_body_another_skill_or_another_key_is_refused() -> None:
    envelope, public, _ = signed()
    with pytest.raises(MetadataError, match="digest mismatch") as caught:
        verify_document(envelope, BODY + b" ", [public], "@acme/pdf", registry="r")
    assert caught.value.code == "metadata_signature_invalid"
    with pytest.raises(MetadataError, match="@acme/pdf"):  # replayed as another skill's
        verify_document(envelope, BODY, [public], "@acme/other", registry="r")
    _, stranger = generate_key()
    with pytest.raises(MetadataError, match="does not verify"):
        verify_document(envelope, BODY, [stranger], "@acme/pdf", registry="r")


def test_a_re_signed_payload_or_another_payload_type_is_refused() -> None:
    envelope, public, signer = signed()
    payload = json.loads(base64.b64decode(envelope["payload"]))
    payload["serial"] = 99  # edited without the key: the signature no longer matches
    forged = {**envelope, "payload": base64.b64encode(canonical_json(payload)).decode()}
    with pytest.raises(MetadataError):
        verify_document(forged, BODY, [public], "@acme/pdf", registry="r")
    # The same key signing the same JSON as another type (a tree head) is not a document.
    other = signer.sign_payload(payload, "application/vnd.tank.tree-head+json")
    with pytest.raises(MetadataError, match="payloadType"):
        verify_document(other, BODY, [public], "@acme/pdf", registry="r")


@pytest.mark.parametrize(
    "value", ["", "not base64!", base64.b64encode(b"[1]").decode(), "A" * 9000]
)
def test_a_malformed_header_is_refused(value: str) -> None:
    with pytest.raises(MetadataError) as caught:
        decode_header(value, registry="http://r")
    assert caught.value.code == "metadata_signature_invalid" and "http://r" in caught.value.message


def test_expired_and_rolled_back_documents_are_refused_saying_how_old() -> None:
    envelope, public, _ = signed()
    doc = verify_document(envelope, BODY, [public], "@acme/pdf", registry="r")
    with pytest.raises(MetadataError) as expired:
        check_fresh(doc, doc.expires + timedelta(hours=3, minutes=5), registry="http://r")
    assert expired.value.code == "metadata_expired"
    assert "expired 3 h 5 min ago" in expired.value.message and "http://r" in expired.value.message
    assert "--refresh" in str(expired.value.hint)
    with pytest.raises(MetadataError):
        check_fresh(doc, doc.expires, registry="r")  # the expiry instant itself is expired
    with pytest.raises(MetadataError) as older:
        check_not_older(doc, 4, registry="http://r", state="/state/file.json")
    assert older.value.code == "metadata_rollback" and "/state/file.json" in str(older.value.hint)


def test_age_text() -> None:
    assert age_text(5) == "5 s"
    assert age_text(61) == "1 min"
    assert age_text(90061) == "1 d 1 h 1 min"
    assert age_text(7200) == "2 h"
