"""Sigstore bundles verified by the `sigstore` package's real verifier, against a private
Sigstore the tests make (tests/sigstore_infra.py): every check it claims, broken one at a time.
"""

from __future__ import annotations

import base64
import copy
import json
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sigstore.models import TrustedRoot
from sigstore.verify import Verifier
from sigstore.verify.policy import AnyOf

from tank.core.errors import ValidationError
from tank.core.trusted_publishing import TrustedIdentity
from tank.server.errors import ApiError
from tank.server.services.sigstore_verify import (
    MAX_BUNDLE_BYTES,
    TrustedPublishers,
    load_trusted_root,
    verifier_for,
    verify_bundle,
)
from tests.sigstore_infra import GITHUB_ISSUER, Identity, Sigstore, statement_for

DATA = b"the canonical tarball's bytes"
SKILL = "@acme/pdf@1.0.0"
TRUSTED = TrustedIdentity(GITHUB_ISSUER, "acme/pdf-tools", "release.yml")


@pytest.fixture(scope="module")
def sigstore() -> Sigstore:
    return Sigstore()


@pytest.fixture(scope="module")
def verifier(sigstore: Sigstore, tmp_path_factory: pytest.TempPathFactory) -> Verifier:
    path = sigstore.write_trusted_root(tmp_path_factory.mktemp("root") / "trusted_root.json")
    return verifier_for(path)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Verification is offline: any connection attempt fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access during verification: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield


Verify = Callable[..., Any]


@pytest.fixture
def check(verifier: Verifier) -> Verify:
    def run(
        bundle: dict[str, Any] | str,
        data: bytes = DATA,
        trusted: tuple[TrustedIdentity, ...] = (TRUSTED,),
    ) -> Any:
        text = bundle if isinstance(bundle, str) else json.dumps(bundle)
        return verify_bundle(text, data, trusted, verifier, skill=SKILL)

    return run


def refused(check: Verify, *args: Any, **kwargs: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check(*args, **kwargs)
    return caught.value


# --- what verifies -------------------------------------------------------------------


def test_a_message_signature_over_the_tarball_verifies(sigstore: Sigstore, check: Verify) -> None:
    verified = check(sigstore.sign_artifact(DATA))
    assert verified.signer == f"sigstore:{GITHUB_ISSUER}#acme/pdf-tools@release.yml"
    identity = verified.identity
    assert identity["issuer"] == GITHUB_ISSUER
    assert identity["source_repository"] == "https://github.com/acme/pdf-tools"
    assert identity["build_signer"].endswith("/.github/workflows/release.yml@refs/heads/main")
    assert identity["ref"] == "refs/heads/main" and identity["sha"] == "a" * 40
    assert identity["kind"] == "message_signature" and identity["log_index"] == 3
    assert len(identity["certificate_sha256"]) == 64 and identity["integrated_time"] > 0
    assert verified.digest.startswith("sha256-")


def test_a_dsse_statement_naming_the_tarball_verifies(sigstore: Sigstore, check: Verify) -> None:
    verified = check(sigstore.sign_statement(statement_for(DATA)))
    assert verified.identity["kind"] == "dsse"
    assert verified.identity["predicate_type"] == "https://slsa.dev/provenance/v1"


def test_a_scope_wide_registration_among_others_matches(sigstore: Sigstore, check: Verify) -> None:
    other = TrustedIdentity(GITHUB_ISSUER, "acme/other", "ci.yml")
    verified = check(sigstore.sign_artifact(DATA), trusted=(other, TRUSTED))
    assert verified.identity["repository"] == "acme/pdf-tools"


# --- bundles for other bytes ----------------------------------------------------------


def test_a_bundle_for_another_tarball_is_refused(sigstore: Sigstore, check: Verify) -> None:
    error = refused(check, sigstore.sign_artifact(b"another tarball"))
    assert error.code == "sigstore_subject_mismatch"
    assert "digest mismatch" in error.message


def test_a_statement_naming_another_digest_is_refused(sigstore: Sigstore, check: Verify) -> None:
    bundle = sigstore.sign_statement(statement_for(b"another tarball"))
    error = refused(check, bundle)
    assert error.code == "sigstore_subject_mismatch"
    assert "names no subject with the tarball's sha256" in error.message


def test_a_message_digest_swapped_to_the_tarball_is_refused(
    sigstore: Sigstore, check: Verify
) -> None:
    """Claiming the right digest does not help: the signature is over other bytes."""
    bundle = sigstore.sign_artifact(b"another tarball")
    right = check(sigstore.sign_artifact(DATA)).bundle["messageSignature"]["messageDigest"]
    bundle["messageSignature"]["messageDigest"] = right
    assert refused(check, bundle).code in {
        "sigstore_subject_mismatch",
        "sigstore_verification_failed",
    }


# --- identities the policy does not allow -----------------------------------------------


@pytest.mark.parametrize(
    ("who", "said"),
    [
        (Identity(repository="mallory/pdf-tools"), "SourceRepositoryURI"),
        (Identity(workflow="other.yml"), "BuildSignerURI"),
        (Identity(issuer="https://token.example.com"), "OIDCIssuerV2"),
        (
            Identity(
                signer_uri="https://github.com/mallory/x/.github/workflows/release.yml@refs/heads/main"
            ),
            "BuildSignerURI",
        ),
        (Identity(repository="Acme/PDF-tools"), "SourceRepositoryURI"),
    ],
    ids=["repository", "workflow", "issuer", "reusable-workflow-elsewhere", "case"],
)
def test_an_identity_the_owner_did_not_register_is_refused(
    sigstore: Sigstore, check: Verify, who: Identity, said: str
) -> None:
    error = refused(check, sigstore.sign_artifact(DATA, who))
    assert error.code == "sigstore_identity_mismatch"
    assert said in error.message and "tank trusted-publisher add" in (error.hint or "")


def test_a_registration_requiring_an_environment_never_matches(
    sigstore: Sigstore, check: Verify
) -> None:
    gated = TrustedIdentity(GITHUB_ISSUER, "acme/pdf-tools", "release.yml", "release")
    error = refused(check, sigstore.sign_artifact(DATA), trusted=(gated,))
    assert error.code == "sigstore_identity_mismatch"
    assert "do not record" in error.message


def test_no_registration_is_refused(sigstore: Sigstore, check: Verify) -> None:
    error = refused(check, sigstore.sign_artifact(DATA), trusted=())
    assert error.code == "sigstore_no_policy"


def test_an_empty_policy_is_misuse() -> None:
    with pytest.raises(ValueError, match="no trusted publishers"):
        TrustedPublishers([])


def test_the_policy_is_a_sigstore_policy(sigstore: Sigstore, check: Verify) -> None:
    """Composable with sigstore's own: AnyOf accepts it (it raises VerificationError)."""
    from sigstore.models import Bundle

    bundle = Bundle.from_json(json.dumps(sigstore.sign_artifact(DATA)))
    AnyOf([TrustedPublishers([TRUSTED])]).verify(bundle.signing_certificate)
    with pytest.raises(Exception, match="0 of 1"):
        AnyOf([TrustedPublishers([TrustedIdentity(GITHUB_ISSUER, "a/b", "c.yml")])]).verify(
            bundle.signing_certificate
        )


# --- a certificate or log this root does not trust --------------------------------------


def test_a_certificate_from_a_ca_not_in_the_trusted_root_is_refused(check: Verify) -> None:
    error = refused(check, Sigstore().sign_artifact(DATA))
    assert error.code == "sigstore_verification_failed"
    assert "certificate chain" in error.message


def test_an_sct_from_an_unknown_ct_log_is_refused(sigstore: Sigstore, check: Verify) -> None:
    rogue = Sigstore(ca_key=sigstore.ca_key, rekor_key=sigstore.rekor_key, start=sigstore.start)
    error = refused(check, rogue.sign_artifact(DATA))
    assert error.code == "sigstore_verification_failed" and "SCT" in error.message


def test_a_log_entry_from_an_unknown_rekor_is_refused(sigstore: Sigstore, check: Verify) -> None:
    rogue = Sigstore(ca_key=sigstore.ca_key, ct_key=sigstore.ct_key, start=sigstore.start)
    error = refused(check, rogue.sign_artifact(DATA))
    assert error.code == "sigstore_verification_failed" and "log entry" in error.message


def test_a_checkpoint_signed_by_another_key_is_refused(sigstore: Sigstore, check: Verify) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    bundle = sigstore.sign_artifact(DATA, checkpoint_key=ec.generate_private_key(ec.SECP256R1()))
    assert "checkpoint" in refused(check, bundle).message


def test_a_forged_signed_entry_timestamp_is_refused(sigstore: Sigstore, check: Verify) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    bundle = sigstore.sign_artifact(DATA, set_key=ec.generate_private_key(ec.SECP256R1()))
    assert "inclusion promise" in refused(check, bundle).message


def _entry(bundle: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = bundle["verificationMaterial"]["tlogEntries"][0]
    return entry


def test_a_tampered_inclusion_proof_is_refused(sigstore: Sigstore, check: Verify) -> None:
    bundle = sigstore.sign_artifact(DATA)
    hashes = _entry(bundle)["inclusionProof"]["hashes"]
    hashes[0] = base64.b64encode(b"\x00" * 32).decode()
    error = refused(check, bundle)
    assert error.code == "sigstore_verification_failed" and "inclusion proof" in error.message


def test_a_tampered_integrated_time_is_refused(sigstore: Sigstore, check: Verify) -> None:
    bundle = sigstore.sign_artifact(DATA)
    _entry(bundle)["integratedTime"] = str(int(_entry(bundle)["integratedTime"]) + 60)
    assert refused(check, bundle).code == "sigstore_verification_failed"


def test_a_log_entry_for_another_signature_is_refused(sigstore: Sigstore, check: Verify) -> None:
    """A genuine, logged entry of another signing spliced into this bundle."""
    bundle = sigstore.sign_artifact(DATA)
    other = sigstore.sign_artifact(DATA)
    bundle["verificationMaterial"]["tlogEntries"] = other["verificationMaterial"]["tlogEntries"]
    error = refused(check, bundle)
    assert "inconsistent" in error.message


def test_a_dsse_envelope_swapped_after_logging_is_refused(
    sigstore: Sigstore, check: Verify
) -> None:
    bundle = sigstore.sign_statement(statement_for(DATA))
    other = sigstore.sign_statement(statement_for(DATA, name="other.tgz"))
    bundle["dsseEnvelope"] = copy.deepcopy(other["dsseEnvelope"])
    assert refused(check, bundle).code == "sigstore_verification_failed"


# --- input that is not a bundle -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        json.dumps({"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json"}),
        "[" * 100 + "]" * 100,
        json.dumps({"padding": "x" * MAX_BUNDLE_BYTES}),
    ],
    ids=["text", "list", "empty-bundle", "deep", "too-large"],
)
def test_what_is_not_a_bundle_is_refused(check: Verify, text: str) -> None:
    assert refused(check, text).code == "sigstore_bundle_invalid"


def test_an_unknown_bundle_media_type_is_refused(sigstore: Sigstore, check: Verify) -> None:
    bundle = sigstore.sign_artifact(DATA)
    bundle["mediaType"] = "application/vnd.dev.sigstore.bundle.v9+json"
    assert refused(check, bundle).code == "sigstore_bundle_invalid"


# --- the trust root ------------------------------------------------------------------------


def test_the_production_root_ships_with_sigstore_and_loads_offline() -> None:
    root = load_trusted_root(None)
    assert isinstance(root, TrustedRoot)
    assert root.get_fulcio_certs() and root._inner.tlogs and root._inner.ctlogs


def test_the_production_root_does_not_trust_test_bundles(sigstore: Sigstore) -> None:
    with pytest.raises(ValidationError) as caught:
        verify_bundle(
            json.dumps(sigstore.sign_artifact(DATA)),
            DATA,
            (TRUSTED,),
            verifier_for(None),
            skill=SKILL,
        )
    assert caught.value.code == "sigstore_verification_failed"


def test_a_broken_trust_root_setting_is_a_503(tmp_path: Path) -> None:
    for path, content in [(tmp_path / "missing.json", None), (tmp_path / "bad.json", "{")]:
        if content is not None:
            path.write_text(content)
        with pytest.raises(ApiError) as caught:
            verifier_for(path)
        assert caught.value.status == 503 and caught.value.code == "sigstore_unavailable"


def test_a_replaced_trust_root_is_reloaded(sigstore: Sigstore, tmp_path: Path) -> None:
    path = Sigstore().write_trusted_root(tmp_path / "root.json")
    bundle = json.dumps(sigstore.sign_artifact(DATA))
    with pytest.raises(ValidationError):
        verify_bundle(bundle, DATA, (TRUSTED,), verifier_for(path), skill=SKILL)
    text = json.dumps(sigstore.trusted_root(), indent=4)  # another size: a new stamp
    path.write_text(text)
    assert verify_bundle(bundle, DATA, (TRUSTED,), verifier_for(path), skill=SKILL)
