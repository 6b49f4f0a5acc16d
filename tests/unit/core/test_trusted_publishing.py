"""Trusted publishing's pure rules: registrations parse strictly, claims match exactly."""

from __future__ import annotations

from typing import Any

import pytest

from tank.core.trusted_publishing import (
    GITHUB_ISSUER,
    CiIdentity,
    ClaimsRefused,
    TrustedIdentity,
    check_claims,
    identity_from_claims,
    parse_issuer,
    parse_repository,
    parse_workflow,
    slsa_predicate,
)

SHA = "a" * 40
TRUSTED = TrustedIdentity(GITHUB_ISSUER, "acme/pdf-tools", "release.yml", "release")


def claims(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "iss": GITHUB_ISSUER,
        "sub": "repo:acme/pdf-tools:environment:release",
        "repository": "acme/pdf-tools",
        "job_workflow_ref": "acme/pdf-tools/.github/workflows/release.yml@refs/tags/v1",
        "ref": "refs/tags/v1",
        "sha": SHA,
        "environment": "release",
        "run_id": 99,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def test_the_registered_identity_matches() -> None:
    ci = identity_from_claims(claims())
    check_claims(TRUSTED, ci)
    check_claims(TRUSTED, identity_from_claims(claims(repository="ACME/pdf-tools")))
    check_claims(TRUSTED, identity_from_claims(claims(environment="Release")))
    any_env = TrustedIdentity(GITHUB_ISSUER, "acme/pdf-tools", "release.yml")
    check_claims(any_env, identity_from_claims(claims(environment=None)))
    assert ci.run_id == "99"  # numbers become strings
    assert CiIdentity.from_dict(ci.as_dict()) == ci


@pytest.mark.parametrize(
    "change",
    [
        {"iss": "https://gitlab.example"},
        {"repository": "acme/pdf-tools-fork"},
        {"job_workflow_ref": "acme/pdf-tools/.github/workflows/test.yml@refs/heads/main"},
        {"job_workflow_ref": "acme/pdf-tools/.github/workflows/release.yml"},  # no ref
        {"job_workflow_ref": "acme/pdf-tools/.github/workflows/release.yml@"},
        {"job_workflow_ref": "evil/x/.github/workflows/release.yml@refs/heads/main"},
        {"job_workflow_ref": "acme/pdf-tools/.github/workflows/sub/release.yml@r"},
        {"job_workflow_ref": "acme/pdf-tools/.github/workflows/Release.yml@r"},
        {"environment": "staging"},
        {"environment": None},
    ],
)
def test_any_other_identity_is_refused(change: dict[str, Any]) -> None:
    with pytest.raises(ClaimsRefused):
        check_claims(TRUSTED, identity_from_claims(claims(**change)))


@pytest.mark.parametrize(
    "change",
    [
        {"repository": None},
        {"job_workflow_ref": None},
        {"sha": None},
        {"sha": "not-a-commit"},
        {"ref": ""},
        {"repository": 5},
        {"sub": "x" * 5000},
    ],
)
def test_missing_or_malformed_claims_are_refused(change: dict[str, Any]) -> None:
    with pytest.raises(ClaimsRefused):
        identity_from_claims(claims(**change))


def test_workflow_ref_is_the_fallback_of_job_workflow_ref() -> None:
    ref = "acme/pdf-tools/.github/workflows/release.yml@refs/tags/v1"
    check_claims(TRUSTED, identity_from_claims(claims(job_workflow_ref=None, workflow_ref=ref)))


def test_registrations_parse_strictly() -> None:
    assert parse_workflow(".github/workflows/release.yaml") == "release.yaml"
    assert parse_repository(" acme/pdf-tools ") == "acme/pdf-tools"
    assert parse_issuer(GITHUB_ISSUER) == GITHUB_ISSUER
    assert parse_issuer("http://127.0.0.1:8080", allow_loopback_http=True)
    for bad in ("../x.yml", "sub/x.yml", "x.sh", ".yml", ""):
        with pytest.raises(ClaimsRefused):
            parse_workflow(bad)
    for bad in ("acme", "acme/x/y", "-acme/x", "acme/..", "acme/x y"):
        with pytest.raises(ClaimsRefused):
            parse_repository(bad)
    for bad in (
        "http://token.actions.githubusercontent.com",
        "http://127.0.0.1:8080",  # loopback http needs the explicit setting
        "http://10.0.0.1",
        "https://issuer/",
        "https://issuer?x=1",
        "https://user:pw@issuer",
        "ftp://issuer",
        "issuer",
    ):
        with pytest.raises(ClaimsRefused):
            parse_issuer(bad)


def test_slsa_predicate_names_repository_commit_workflow_and_builder() -> None:
    ci = identity_from_claims(claims())
    predicate = slsa_predicate(
        ci, registry="https://tank.example", trusted_publisher_id=3, published_at="T"
    )
    build = predicate["buildDefinition"]
    assert build["externalParameters"]["workflow"] == {
        "ref": "refs/tags/v1",
        "repository": "https://github.com/acme/pdf-tools",
        "path": ".github/workflows/release.yml",
    }
    assert build["resolvedDependencies"] == [
        {"uri": "git+https://github.com/acme/pdf-tools@refs/tags/v1", "digest": {"gitCommit": SHA}}
    ]
    run = predicate["runDetails"]
    assert run["builder"]["id"] == (
        "https://github.com/acme/pdf-tools/.github/workflows/release.yml@refs/tags/v1"
    )
    assert run["metadata"]["invocationId"].endswith("/acme/pdf-tools/actions/runs/99/attempts/1")
