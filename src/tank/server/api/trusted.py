"""Trusted publishing and provenance.

- ``POST /v1/trusted-publishers``, ``GET /v1/trusted-publishers``,
  ``DELETE /v1/trusted-publishers/{id}``: an owner registers, lists and removes the CI
  identities (OIDC issuer, repository, workflow, environment) allowed to publish a skill or
  every skill of a scope;
- ``POST /v1/oidc/token``: a CI job exchanges its OIDC token for a short-lived token that
  can publish one skill (no registry token needed: the OIDC token is the credential);
- ``GET /v1/skills/{scope}/{name}/{version}/provenance``: a trusted publish's SLSA
  provenance, signed by the registry key.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from tank.server.api.deps import AuthDep, PrincipalDep, RegistryDep, SessionDep, client_ip
from tank.server.api.ratelimit import limit_writes
from tank.server.api.schemas import MAX_ID, Line, error_responses
from tank.server.db.engine import write_session
from tank.server.services import oidc, provenance, skills, trusted_publishers

router = APIRouter(
    tags=["trusted publishing"], responses=error_responses(400, 401, 403, 404, 409, 422, 429)
)

NO_STORE = {"Cache-Control": "no-store"}


class TrustedPublisherRequest(BaseModel):
    """A CI identity allowed to publish ``target`` (``@scope/name`` or ``@scope``)."""

    model_config = ConfigDict(extra="forbid")

    target: Annotated[Line, Field(max_length=140)]
    issuer: Annotated[Line, Field(max_length=512)]
    repository: Annotated[Line, Field(max_length=160)]
    workflow: Annotated[Line, Field(max_length=160)]
    environment: Annotated[Line | None, Field(max_length=255)] = None


class ExchangeRequest(BaseModel):
    """A CI job's OIDC token and the skill it wants to publish."""

    model_config = ConfigDict(extra="forbid")

    token: Annotated[Line, Field(max_length=oidc.MAX_TOKEN_BYTES)]
    skill: Annotated[Line, Field(max_length=140)]


@router.post("/trusted-publishers", status_code=201, dependencies=[Depends(limit_writes)])
def add_trusted_publisher(
    body: TrustedPublisherRequest, request: Request, reg: RegistryDep, who: AuthDep
) -> dict[str, Any]:
    """Register a trusted publisher (an owner of the scope, with an unrestricted token)."""
    with write_session(reg.sessions) as session:
        row = trusted_publishers.add(
            session,
            reg.settings,
            who,
            target=body.target,
            issuer=body.issuer,
            repository=body.repository,
            workflow=body.workflow,
            environment=body.environment,
            ip=client_ip(request),
        )
        return trusted_publishers.view(row)


@router.get("/trusted-publishers")
def list_trusted_publishers(
    db: SessionDep,
    who: AuthDep,
    target: Annotated[Line | None, Query(max_length=140)] = None,
) -> dict[str, Any]:
    """The trusted publishers of ``target``'s scope, or of every scope the caller owns."""
    return {"trusted_publishers": trusted_publishers.listing(db, who, target)}


@router.delete("/trusted-publishers/{publisher_id}", dependencies=[Depends(limit_writes)])
def remove_trusted_publisher(
    publisher_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    request: Request,
    reg: RegistryDep,
    who: AuthDep,
) -> dict[str, Any]:
    """Remove a trusted publisher; the short-lived tokens it handed out are revoked."""
    with write_session(reg.sessions) as session:
        row = trusted_publishers.remove(session, who, publisher_id, ip=client_ip(request))
        return {**trusted_publishers.view(row), "removed": True}


@router.post(
    "/oidc/token",
    status_code=201,
    dependencies=[Depends(limit_writes)],
    responses=error_responses(503),
)
def exchange_oidc_token(
    body: ExchangeRequest, request: Request, reg: RegistryDep, db: SessionDep
) -> JSONResponse:
    """Exchange a CI job's OIDC token for a short-lived token that publishes one skill."""
    db.close()
    # Verified before any transaction: fetching the issuer's keys must not hold a lock.
    claims = oidc.verify_token(body.token, reg.settings)
    with write_session(reg.sessions) as session:
        answer = trusted_publishers.exchange(
            session, reg.settings, claims, body.skill, ip=client_ip(request)
        )
    return JSONResponse(answer, status_code=201, headers=NO_STORE)


@router.get("/skills/{scope}/{name}/{version}/provenance")
def version_provenance(
    scope: str, name: str, version: str, db: SessionDep, who: PrincipalDep
) -> JSONResponse:
    """A trusted publish's SLSA provenance: a DSSE envelope over an in-toto Statement
    (predicate ``https://slsa.dev/provenance/v1``) signed by the registry key."""
    body = provenance.document(db, who, skills.full_name(scope, name), version)
    return JSONResponse(body, headers={**NO_STORE, "Vary": "Authorization"})
