"""Trusted publishing from the client: manage a skill's trusted CI publishers, and, in CI,
exchange the job's OIDC token for a short-lived publish token.

Managing needs the owner's ordinary token (``tank login``, or ``TANK_TOKEN``). The exchange
needs none: the OIDC token is the credential. On GitHub Actions (``permissions: id-token:
write``) the OIDC token is requested from the runner with the registry's audience; elsewhere
it is read from ``TANK_OIDC_TOKEN``.
"""

from __future__ import annotations

import os
from typing import Any

from tank.client.answers import json_of
from tank.client.credentials import token_for
from tank.client.errors import AuthError
from tank.client.http import RegistryClient

OIDC_TOKEN_ENV = "TANK_OIDC_TOKEN"  # noqa: S105 - the name of a variable, not a secret
_GITHUB_URL = "ACTIONS_ID_TOKEN_REQUEST_URL"
_GITHUB_TOKEN = "ACTIONS_ID_TOKEN_REQUEST_TOKEN"  # noqa: S105 - the name of a variable


def _client(registry: str) -> RegistryClient:
    token = token_for(registry)
    if token is None:
        raise AuthError(
            f"not logged in to {registry}",
            status=401,
            code="not_logged_in",
            hint="run `tank login` as an owner of the scope",
        )
    return RegistryClient(registry, token=token)


def add(registry: str, fields: dict[str, Any]) -> dict[str, Any]:
    """``POST /v1/trusted-publishers``."""
    with _client(registry) as client:
        answer = client.request(
            "POST", "/v1/trusted-publishers", json=fields, ok=(201,), retry=False
        )
        return json_of(answer, "the trusted publisher")


def listing(registry: str, target: str | None) -> list[dict[str, Any]]:
    """``GET /v1/trusted-publishers``."""
    params = {"target": target} if target else {}
    with _client(registry) as client:
        answer = json_of(
            client.request("GET", "/v1/trusted-publishers", params=params), "trusted publishers"
        )
    found = answer.get("trusted_publishers")
    return [p for p in found if isinstance(p, dict)] if isinstance(found, list) else []


def remove(registry: str, publisher_id: int) -> dict[str, Any]:
    """``DELETE /v1/trusted-publishers/{id}``."""
    with _client(registry) as client:
        answer = client.request("DELETE", f"/v1/trusted-publishers/{publisher_id}", retry=False)
        return json_of(answer, "the removed trusted publisher")


def ci_oidc_token(audience: str) -> str:
    """The CI job's OIDC token: ``TANK_OIDC_TOKEN``, else GitHub Actions' runner's."""
    given = os.environ.get(OIDC_TOKEN_ENV, "").strip()
    if given:
        return given
    url, bearer = os.environ.get(_GITHUB_URL), os.environ.get(_GITHUB_TOKEN)
    if not url or not bearer:
        raise AuthError(
            "no OIDC token: TANK_OIDC_TOKEN is unset and this is not a GitHub Actions job "
            "allowed to request one",
            status=401,
            code="no_oidc_token",
            hint="on GitHub Actions give the job `permissions: id-token: write`; elsewhere "
            "set TANK_OIDC_TOKEN to the CI's OIDC token",
        )
    import httpx

    try:
        answer = httpx.get(
            url,
            params={"audience": audience},
            headers={"Authorization": f"Bearer {bearer}"},
            timeout=15.0,
        )
        value = answer.json().get("value") if answer.status_code == 200 else None
    except (httpx.HTTPError, ValueError, AttributeError):
        value = None
    if not isinstance(value, str) or not value:
        raise AuthError(
            "GitHub Actions did not hand out an OIDC token",
            status=401,
            code="no_oidc_token",
            hint="give the job `permissions: id-token: write`",
        )
    return value


def exchange(registry: str, skill: str, oidc_token: str) -> dict[str, Any]:
    """``POST /v1/oidc/token``: the short-lived token (its secret is in the answer)."""
    with RegistryClient(registry) as client:
        answer = client.request(
            "POST",
            "/v1/oidc/token",
            json={"token": oidc_token, "skill": skill},
            ok=(201,),
            retry=False,
        )
        return json_of(answer, "the exchanged token")
