"""Trusted publishing: which CI identity may publish a skill, and the provenance it leaves.

PyPI's model. A skill's owner registers a *trusted publisher*: an OIDC issuer, a repository,
a workflow file and optionally a deployment environment. A CI job presents the OIDC token
its platform gave it; once the token's signature and standard claims are verified (the
server's business: it needs the issuer's keys), the functions here decide whether its
*claims* are the registered identity, and describe the job as SLSA provenance.

Claim names are GitHub Actions' (``repository``, ``job_workflow_ref`` / ``workflow_ref``,
``environment``, ``sha``, ``ref``, ``run_id``…), which other issuers can mimic. Everything
fails closed: a missing or malformed claim never matches.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from tank.core.errors import TankError

__all__ = [
    "GITHUB_ISSUER",
    "SIGSTORE_SIGNER_PREFIX",
    "SLSA_PROVENANCE",
    "CiIdentity",
    "ClaimsRefused",
    "TrustedIdentity",
    "check_claims",
    "identity_from_claims",
    "parse_issuer",
    "parse_repository",
    "parse_workflow",
    "sigstore_signer",
    "slsa_predicate",
]

GITHUB_ISSUER = "https://token.actions.githubusercontent.com"
SLSA_PROVENANCE = "https://slsa.dev/provenance/v1"
#: GitHub's build type for a workflow run (what its own provenance generator names).
BUILD_TYPE = "https://actions.github.io/buildtypes/workflow/v1"
WORKFLOW_DIR = ".github/workflows/"
#: How a lockfile, the log and the registry name a Sigstore (keyless) signer.
SIGSTORE_SIGNER_PREFIX = "sigstore:"

_REPOSITORY = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
_WORKFLOW = re.compile(r"^[A-Za-z0-9._-]{1,120}\.ya?ml$")
_ENVIRONMENT_MAX = 255
_SHA = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")  # SHA-1 or SHA-256 commits
_CLAIM_MAX = 1024


class ClaimsRefused(TankError):
    """A token or registration whose identity is malformed or not the registered one."""

    default_code = "oidc_claims_refused"


@dataclass(frozen=True, slots=True)
class TrustedIdentity:
    """What an owner registered: issuer URL, ``owner/repo``, workflow file, environment."""

    issuer: str
    repository: str
    workflow: str
    environment: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        """A JSON-ready view."""
        return {
            "issuer": self.issuer,
            "repository": self.repository,
            "workflow": self.workflow,
            "environment": self.environment,
        }


@dataclass(frozen=True, slots=True)
class CiIdentity:
    """The job a verified token describes (only the claims Tank uses, all checked)."""

    issuer: str
    subject: str
    repository: str
    workflow_ref: str
    ref: str
    sha: str
    environment: str | None = None
    run_id: str | None = None
    run_attempt: str | None = None
    event_name: str | None = None
    repository_id: str | None = None
    repository_owner_id: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        """A JSON-ready view (stored with the short-lived token and in provenance)."""
        return {
            "issuer": self.issuer,
            "subject": self.subject,
            "repository": self.repository,
            "workflow_ref": self.workflow_ref,
            "ref": self.ref,
            "sha": self.sha,
            "environment": self.environment,
            "run_id": self.run_id,
            "run_attempt": self.run_attempt,
            "event_name": self.event_name,
            "repository_id": self.repository_id,
            "repository_owner_id": self.repository_owner_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CiIdentity:
        """The inverse of :meth:`as_dict` (for what the registry stored itself)."""
        claims = dict(data)
        claims.update(
            iss=data.get("issuer"),
            sub=data.get("subject"),
            job_workflow_ref=data.get("workflow_ref"),
        )
        return identity_from_claims(claims)


def parse_issuer(text: str, *, allow_loopback_http: bool = False) -> str:
    """An issuer URL: ``https://host[/path]`` without query, fragment or trailing slash.

    Plain ``http`` only for a loopback host and only when ``allow_loopback_http`` (a test
    issuer): an issuer's keys fetched over plain HTTP could be anyone's.
    """
    url = text.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        raise ClaimsRefused(f"{text!r} is not a URL", code="oidc_issuer_invalid") from None
    loopback = host in {"127.0.0.1", "::1", "localhost"}
    if (
        len(url) > 512
        or not host
        or parts.query
        or parts.fragment
        or parts.username
        or parts.password
        or url.endswith("/")
        or not (parts.scheme == "https" or (parts.scheme == "http" and loopback))
    ):
        raise ClaimsRefused(
            f"the OIDC issuer {text!r} is not an https URL without query or trailing slash",
            code="oidc_issuer_invalid",
            hint=f"GitHub Actions' issuer is {GITHUB_ISSUER}",
        )
    if parts.scheme == "http" and not allow_loopback_http:
        raise ClaimsRefused(
            f"the OIDC issuer {text!r} is plain http",
            code="oidc_issuer_invalid",
            hint="only https issuers are trusted (loopback http only in test setups)",
        )
    return url


def parse_repository(text: str) -> str:
    """``owner/repo`` as GitHub spells repository names."""
    value = text.strip()
    if not _REPOSITORY.match(value) or value.endswith((".", "/")) or ".." in value:
        raise ClaimsRefused(
            f"{text!r} is not a repository name",
            code="trusted_publisher_invalid",
            hint="give the repository as owner/name, e.g. acme/pdf-tools",
        )
    return value


def parse_workflow(text: str) -> str:
    """A workflow file name: ``release.yml`` (``.github/workflows/`` is accepted and dropped)."""
    value = text.strip()
    value = value.removeprefix(WORKFLOW_DIR)
    if not _WORKFLOW.match(value) or value.startswith("."):
        raise ClaimsRefused(
            f"{text!r} is not a workflow file name",
            code="trusted_publisher_invalid",
            hint="give the workflow's file name in .github/workflows, e.g. release.yml",
        )
    return value


def parse_environment(text: str | None) -> str | None:
    """An optional deployment environment name (None or empty: any environment)."""
    if text is None or not text.strip():
        return None
    value = text.strip()
    if len(value) > _ENVIRONMENT_MAX or any(ord(c) < 32 for c in value):
        raise ClaimsRefused(
            f"{text!r} is not an environment name", code="trusted_publisher_invalid"
        )
    return value


def _claim(claims: Mapping[str, Any], name: str, *, required: bool = True) -> str | None:
    value = claims.get(name)
    if value is None and not required:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and not required:
        value = str(value)
    if not isinstance(value, str) or not value or len(value) > _CLAIM_MAX:
        if not required:
            return None
        raise ClaimsRefused(
            f"the OIDC token has no usable {name!r} claim",
            hint="use a GitHub Actions OIDC token (permissions: id-token: write)",
        )
    return value


def identity_from_claims(claims: Mapping[str, Any]) -> CiIdentity:
    """The CI identity of verified ``claims``; :class:`ClaimsRefused` when one is missing."""
    workflow_ref = _claim(claims, "job_workflow_ref", required=False) or _claim(
        claims, "workflow_ref"
    )
    sha = _claim(claims, "sha")
    assert workflow_ref is not None and sha is not None  # required claims raise
    if not _SHA.match(sha):
        raise ClaimsRefused(f"the OIDC token's 'sha' claim {sha[:80]!r} is not a commit hash")
    return CiIdentity(
        issuer=str(_claim(claims, "iss")),
        subject=str(_claim(claims, "sub")),
        repository=str(_claim(claims, "repository")),
        workflow_ref=workflow_ref,
        ref=str(_claim(claims, "ref")),
        sha=sha,
        environment=_claim(claims, "environment", required=False),
        run_id=_claim(claims, "run_id", required=False),
        run_attempt=_claim(claims, "run_attempt", required=False),
        event_name=_claim(claims, "event_name", required=False),
        repository_id=_claim(claims, "repository_id", required=False),
        repository_owner_id=_claim(claims, "repository_owner_id", required=False),
    )


def workflow_path(ci: CiIdentity) -> str:
    """``.github/workflows/release.yml`` from ``owner/repo/.github/workflows/release.yml@ref``
    (empty when the ref does not name a workflow of the token's repository)."""
    head = ci.workflow_ref.split("@", 1)[0]
    repo_part = head[: len(ci.repository)]
    rest = head[len(ci.repository) :]
    if repo_part.lower() != ci.repository.lower() or not rest.startswith("/" + WORKFLOW_DIR):
        return ""
    return rest[1:]


def check_claims(trusted: TrustedIdentity, ci: CiIdentity) -> None:
    """Raise :class:`ClaimsRefused` unless ``ci`` is exactly the ``trusted`` identity.

    Repository and environment names compare case-insensitively (GitHub treats them so);
    the workflow file name exactly, as a path does. The workflow must be a file of the
    registered repository itself, ``ref`` non-empty after the ``@``.
    """
    if ci.issuer != trusted.issuer:
        raise ClaimsRefused(f"the token was issued by {ci.issuer}, not {trusted.issuer}")
    if ci.repository.lower() != trusted.repository.lower():
        raise ClaimsRefused(
            f"the token is for repository {ci.repository}, not {trusted.repository}"
        )
    head, at, ref = ci.workflow_ref.partition("@")
    if not at or not ref or workflow_path(ci) != WORKFLOW_DIR + trusted.workflow:
        raise ClaimsRefused(
            f"the token's workflow {head!r} is not {trusted.repository}/{WORKFLOW_DIR}"
            f"{trusted.workflow}"
        )
    if trusted.environment is not None and (
        ci.environment is None or ci.environment.lower() != trusted.environment.lower()
    ):
        raise ClaimsRefused(
            f"the token's environment {ci.environment!r} is not {trusted.environment!r}"
        )


def sigstore_signer(trusted: TrustedIdentity) -> str:
    """``sigstore:<issuer>#<owner/repo>@<workflow>``: the signer of a version whose Sigstore
    bundle verified against the trusted publisher ``trusted`` (what ``skills.lock`` records
    in place of a key fingerprint)."""
    return f"{SIGSTORE_SIGNER_PREFIX}{trusted.issuer}#{trusted.repository}@{trusted.workflow}"


def forge_url(issuer: str) -> str:
    """Where repositories of ``issuer`` live: github.com for GitHub Actions' issuer."""
    return "https://github.com" if issuer == GITHUB_ISSUER else issuer


def slsa_predicate(
    ci: CiIdentity, *, registry: str | None, trusted_publisher_id: int, published_at: str
) -> dict[str, Any]:
    """The SLSA v1 provenance predicate of a version uploaded by the CI job ``ci``.

    The registry writes it from the verified token, not from anything the job said about
    itself: it names the repository, the ref and commit, the workflow and the run.
    """
    forge = forge_url(ci.issuer)
    repository = f"{forge}/{ci.repository}"
    github = {
        k: v
        for k, v in {
            "event_name": ci.event_name,
            "repository_id": ci.repository_id,
            "repository_owner_id": ci.repository_owner_id,
            "environment": ci.environment,
        }.items()
        if v is not None
    }
    metadata: dict[str, Any] = {"finishedOn": published_at}
    if ci.run_id:
        attempt = ci.run_attempt or "1"
        metadata["invocationId"] = f"{repository}/actions/runs/{ci.run_id}/attempts/{attempt}"
    return {
        "buildDefinition": {
            "buildType": BUILD_TYPE,
            "externalParameters": {
                "workflow": {"ref": ci.ref, "repository": repository, "path": workflow_path(ci)}
            },
            "internalParameters": {
                "github": github,
                "tank": {
                    "registry": registry,
                    "oidc_issuer": ci.issuer,
                    "oidc_subject": ci.subject,
                    "trusted_publisher": trusted_publisher_id,
                },
            },
            "resolvedDependencies": [
                {"uri": f"git+{repository}@{ci.ref}", "digest": {"gitCommit": ci.sha}}
            ],
        },
        "runDetails": {
            "builder": {"id": f"{forge}/{ci.workflow_ref}"},
            "metadata": metadata,
        },
    }
