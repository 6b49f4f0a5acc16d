"""The client's handling of Sigstore-signed versions: it records the trusted publisher the
registry matched and the bundle's digest, and refuses the registry changing either, or a
malformed record (never reading it as unsigned)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tank.client.errors import AuditPolicyError, SignatureRefusedError
from tank.client.signatures import verify_lock
from tank.client.status import VersionStatus, parse_status
from tank.core.lockfile import BudgetCheck, LockedSkill, Lockfile, PackageMeta
from tank.core.permissions import Permissions
from tank.core.semver import parse_version

SIGNER = "sigstore:https://token.actions.githubusercontent.com#acme/pdf-tools@release.yml"
DIGEST = "sha256-" + "A" * 43 + "="
INTEGRITY = "sha512-" + "B" * 86 + "=="


def lock(**meta: Any) -> Lockfile:
    entry = LockedSkill(
        "@acme/pdf",
        parse_version("1.0.0"),
        PackageMeta(integrity=INTEGRITY, resolved="/v1/skills/@acme/pdf/1.0.0/tarball", **meta),
    )
    return Lockfile((entry,), Permissions.none(), BudgetCheck.NO_BUDGET)


def status(**sigstore: Any) -> VersionStatus:
    record = {"signer": SIGNER, "identity": {"repository": "acme/pdf-tools"}, "digest": DIGEST}
    record.update(sigstore)
    found = parse_status(
        {
            "verdict": "pass",
            "servable": True,
            "publisher": "alice",
            "signature": None,
            "signer": record.get("signer"),
            "sigstore": record,
        }
    )
    assert found is not None
    return found


def no_keys(name: str, publisher: str) -> tuple[list[Any], set[str]]:
    raise AssertionError("a Sigstore-signed version needs no publisher keys")


def test_a_sigstore_signed_version_is_locked_with_its_signer_and_digest() -> None:
    checked = verify_lock(lock(), {"@acme/pdf@1.0.0": status()}, no_keys, require=True)
    [entry] = checked.skills
    assert entry.meta.signer == SIGNER and entry.meta.signature == DIGEST
    assert entry.to_json()["signer"] == SIGNER


@pytest.mark.parametrize(
    ("locked", "said"),
    [
        ({"signer": "f" * 64, "signature": DIGEST}, "but the registry now names"),
        ({"signer": SIGNER.replace("acme/pdf-tools", "acme/x")}, "but the registry now names"),
        ({"signer": SIGNER, "signature": "sha256-" + "C" * 43 + "="}, "another Sigstore bundle"),
    ],
)
def test_the_registry_changing_the_signer_or_bundle_is_refused(
    locked: dict[str, str], said: str
) -> None:
    with pytest.raises(SignatureRefusedError) as caught:
        verify_lock(lock(**locked), {"@acme/pdf@1.0.0": status()}, no_keys, require=False)
    assert said in caught.value.problems[0].message


@pytest.mark.parametrize(
    "bad",
    [{"signer": "f" * 64}, {"digest": "nope"}, {"signer": None}, {"digest": None}],
    ids=["key-fingerprint", "digest", "no-signer", "no-digest"],
)
def test_a_malformed_record_fails_closed(bad: dict[str, Any]) -> None:
    with pytest.raises(SignatureRefusedError):
        verify_lock(lock(), {"@acme/pdf@1.0.0": status(**bad)}, no_keys, require=False)


def test_a_record_that_is_not_an_object_fails_closed() -> None:
    found = replace(status(), sigstore={"malformed": True})
    with pytest.raises(SignatureRefusedError):
        verify_lock(lock(), {"@acme/pdf@1.0.0": found}, no_keys, require=False)


def test_a_locked_sigstore_signer_with_none_served_now_is_refused() -> None:
    unsigned = VersionStatus("pass", 5.0, servable=True, publisher="alice")
    with pytest.raises(SignatureRefusedError):
        verify_lock(lock(signer=SIGNER, signature=DIGEST), {"@acme/pdf@1.0.0": unsigned},
                    no_keys, require=False)  # fmt: skip
    with pytest.raises(AuditPolicyError):
        verify_lock(lock(), {"@acme/pdf@1.0.0": unsigned}, no_keys, require=True)
