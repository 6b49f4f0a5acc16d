"""A registry attestation checked as the client checks it (at install and in `tank verify`):
by a pinned registry key, about exactly this tarball, the very envelope the log names."""

from __future__ import annotations

from typing import Any

import pytest

from tank.core.attestation import REGISTRY_CHECK_PREDICATE, verify_attestation
from tank.core.integrity import sri_sha512
from tank.core.signing import (
    PublicKey,
    SignatureError,
    digest_b64,
    generate_key,
    load_signer,
    statement,
)

NAME, VERSION = "@acme/tool", "1.0.0"
INTEGRITY = sri_sha512(b"the tarball")


def attestation(
    integrity: str = INTEGRITY,
    predicate_type: str = REGISTRY_CHECK_PREDICATE,
    attested: str | None = None,
) -> tuple[dict[str, Any], PublicKey]:
    """An attestation of ``integrity`` signed by a new key (whose predicate records
    ``attested``, by default the same integrity), and that key."""
    pem, public = generate_key()
    predicate = {
        "integrity": attested or integrity,
        "verdict": "pass",
        "signature": {"present": True, "fingerprint": "ab" * 32},
    }
    envelope = load_signer(pem).sign_statement(
        statement(NAME, VERSION, integrity, predicate_type, predicate)
    )
    return envelope, public


def test_a_good_attestation_verifies_and_says_what_it_attests() -> None:
    envelope, key = attestation()
    found = verify_attestation(
        envelope, [key], NAME, VERSION, INTEGRITY, digest=digest_b64(envelope)
    )
    assert (found.keyid, found.verdict, found.signer) == (key.keyid, "pass", "ab" * 32)
    assert found.digest == digest_b64(envelope)


def test_every_way_to_break_it_is_refused() -> None:
    envelope, key = attestation()
    _, stranger = generate_key()
    with pytest.raises(SignatureError) as unknown:
        verify_attestation(envelope, [stranger], NAME, VERSION, INTEGRITY)
    assert unknown.value.code == "attestation_unknown_key"
    with pytest.raises(SignatureError) as other_bytes:
        verify_attestation(envelope, [key], NAME, VERSION, sri_sha512(b"other bytes"))
    assert other_bytes.value.code == "attestation_subject_mismatch"
    with pytest.raises(SignatureError) as other_name:
        verify_attestation(envelope, [key], "@acme/other", VERSION, INTEGRITY)
    assert other_name.value.code == "attestation_subject_mismatch"
    with pytest.raises(SignatureError) as not_logged:
        verify_attestation(envelope, [key], NAME, VERSION, INTEGRITY, digest="sha256-AAAA")
    assert not_logged.value.code == "attestation_not_logged"
    publish, publisher = attestation(predicate_type="https://tank.dev/attestation/publish/v1")
    with pytest.raises(SignatureError) as wrong_kind:
        verify_attestation(publish, [publisher], NAME, VERSION, INTEGRITY)
    assert wrong_kind.value.code == "attestation_invalid"
    # the predicate's own integrity must agree with the subject's
    lying, liar = attestation(attested=sri_sha512(b"other bytes"))
    with pytest.raises(SignatureError) as disagrees:
        verify_attestation(lying, [liar], NAME, VERSION, INTEGRITY)
    assert disagrees.value.code == "attestation_subject_mismatch"
