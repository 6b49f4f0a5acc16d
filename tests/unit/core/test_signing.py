"""Signatures: DSSE envelopes over in-toto Statements, and every way to break one."""

from __future__ import annotations

import base64
import json

import pytest

from tank.core.integrity import sri_sha512
from tank.core.signing import (
    PAYLOAD_TYPE,
    SignatureError,
    check_subject,
    generate_key,
    load_signer,
    parse_public_key,
    publish_statement,
    verify_envelope,
)

TARBALL = b"canonical tarball bytes"
INTEGRITY = sri_sha512(TARBALL)


def _signed(name: str = "@acme/tool", version: str = "1.0.0") -> tuple[dict, object]:
    pem, public = generate_key()
    signer = load_signer(pem)
    envelope = signer.sign_statement(publish_statement(name, version, INTEGRITY))
    return envelope, public


def test_a_valid_signature_verifies_and_names_its_key_and_subject() -> None:
    envelope, public = _signed()
    verified = verify_envelope(envelope, [public])
    assert verified.keyid == public.keyid
    assert envelope["payloadType"] == PAYLOAD_TYPE
    check_subject(verified.statement, "@acme/tool", "1.0.0", INTEGRITY)


def test_json_text_and_dict_forms_agree() -> None:
    envelope, public = _signed()
    assert verify_envelope(json.dumps(envelope), [public]).keyid == public.keyid


def test_another_key_does_not_verify() -> None:
    envelope, _ = _signed()
    _, stranger = generate_key()
    with pytest.raises(SignatureError) as caught:
        verify_envelope(envelope, [stranger])
    assert caught.value.code == "signature_unknown_key"


def test_no_keys_fails_closed() -> None:
    envelope, _ = _signed()
    with pytest.raises(SignatureError):
        verify_envelope(envelope, [])


def test_a_tampered_payload_does_not_verify() -> None:
    envelope, public = _signed()
    statement = json.loads(base64.b64decode(envelope["payload"]))
    statement["subject"][0]["annotations"]["tank.version"] = "9.9.9"
    envelope["payload"] = base64.b64encode(json.dumps(statement).encode()).decode()
    with pytest.raises(SignatureError):
        verify_envelope(envelope, [public])


def test_a_changed_payload_type_does_not_verify() -> None:
    envelope, public = _signed()
    envelope["payloadType"] = "application/json"
    with pytest.raises(SignatureError):
        verify_envelope(envelope, [public])


def test_a_signature_over_other_bytes_is_refused() -> None:
    envelope, public = _signed()
    verified = verify_envelope(envelope, [public])
    with pytest.raises(SignatureError) as caught:
        check_subject(verified.statement, "@acme/tool", "1.0.0", sri_sha512(TARBALL + b"x"))
    assert caught.value.code == "signature_subject_mismatch"


def test_a_signature_for_another_version_is_refused() -> None:
    envelope, public = _signed(version="1.0.0")
    verified = verify_envelope(envelope, [public])
    with pytest.raises(SignatureError):
        check_subject(verified.statement, "@acme/tool", "1.0.1", INTEGRITY)


def test_a_payload_that_is_not_a_statement_is_refused() -> None:
    pem, public = generate_key()
    signer = load_signer(pem)
    envelope = signer.sign_statement({"_type": "something-else"})
    with pytest.raises(SignatureError, match="in-toto"):
        verify_envelope(envelope, [public])


@pytest.mark.parametrize(
    "junk", ["", "{", "[]", '{"payload": 1}', json.dumps({"a": "x" * 300_000})]
)
def test_junk_is_refused_not_crashed_on(junk: str) -> None:
    _, public = generate_key()
    with pytest.raises(SignatureError):
        verify_envelope(junk, [public])


def test_a_passphrase_protects_the_private_key() -> None:
    pem, public = generate_key(passphrase=b"correct horse")
    with pytest.raises(SignatureError) as missing:
        load_signer(pem)
    assert missing.value.code == "key_passphrase_required"
    with pytest.raises(SignatureError):
        load_signer(pem, b"wrong")
    assert load_signer(pem, b"correct horse").public == public


def test_public_keys_round_trip_through_dict_json_and_pem() -> None:
    from cryptography.hazmat.primitives import serialization

    pem, public = generate_key()
    assert parse_public_key(public.as_dict()) == public
    assert parse_public_key(json.dumps(public.as_dict())) == public
    private = serialization.load_pem_private_key(pem, password=None)
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    assert parse_public_key(public_pem) == public
    with pytest.raises(SignatureError):
        parse_public_key({"keytype": "rsa", "scheme": "rsassa-pss-sha256", "keyval": {}})


def test_verifying_leaves_the_envelope_untouched_and_verifiable_again() -> None:
    # securesystemslib's Envelope.from_dict pops the signature dicts it is given: verifying
    # must work on a copy, or the caller's envelope (about to be stored) is destroyed.
    envelope, public = _signed()
    before = json.loads(json.dumps(envelope))
    verify_envelope(envelope, [public])
    assert envelope == before
    assert verify_envelope(envelope, [public]).keyid == public.keyid


def test_other_payload_types_are_signed_and_checked_by_type() -> None:
    from tank.core.signing import TREE_HEAD_TYPE, verify_payload

    pem, public = generate_key()
    signer = load_signer(pem)
    envelope = signer.sign_payload({"size": 3}, TREE_HEAD_TYPE)
    assert verify_payload(envelope, [public], TREE_HEAD_TYPE).statement == {"size": 3}
    with pytest.raises(SignatureError, match="payloadType"):
        verify_envelope(envelope, [public])  # a tree head is never taken for a Statement
    statement = signer.sign_statement(publish_statement("@acme/tool", "1.0.0", INTEGRITY))
    with pytest.raises(SignatureError, match="payloadType"):
        verify_payload(statement, [public], TREE_HEAD_TYPE)
