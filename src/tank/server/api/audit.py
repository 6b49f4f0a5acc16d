"""A skill's audit history (``GET …/audit``), community reviews (``POST …/review``) and
reports to the moderators (``POST …/report``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from tank.server.api.deps import AuthDep, PrincipalDep, RegistryDep, SessionDep, client_ip
from tank.server.api.publish import WRITE_LIMITS
from tank.server.api.ratelimit import limit_reports
from tank.server.api.schemas import Line, Text, error_responses
from tank.server.db.engine import write_session
from tank.server.services import audit_history, moderation, reviews, skills

router = APIRouter(tags=["audit"], responses=error_responses(401, 403, 404, 410, 422))


class ReviewBody(BaseModel):
    """A security review of one version."""

    model_config = ConfigDict(extra="forbid")

    version: Annotated[Line, Field(min_length=1, max_length=128)]
    verdict: Literal["approve", "concerns"]
    comment: Annotated[Text, Field(max_length=4000)] = ""


@router.get("/skills/{scope}/{name}/audit")
def audit_history_route(scope: str, name: str, db: SessionDep, who: PrincipalDep) -> JSONResponse:
    """Every version's verdict, score breakdown, findings, reviews and audit history."""
    body = audit_history.history(db, who, skills.full_name(scope, name))
    return JSONResponse(body, headers={"Vary": "Authorization", "Cache-Control": "no-cache"})


@router.post(
    "/skills/{scope}/{name}/review",
    dependencies=WRITE_LIMITS,
    responses=error_responses(400, 409, 429),
)
def review(
    scope: str, name: str, body: ReviewBody, request: Request, reg: RegistryDep, who: AuthDep
) -> dict[str, Any]:
    """Approve a version or voice concerns (verified reviewers outside the skill's scope)."""
    with write_session(reg.sessions) as session:
        return reviews.submit(
            session,
            who,
            skills.full_name(scope, name),
            body.version,
            body.verdict,
            body.comment.strip(),
            ip=client_ip(request),
        )


class ReportBody(BaseModel):
    """A report of a skill to the registry's moderators."""

    model_config = ConfigDict(extra="forbid")

    version: Annotated[Line | None, Field(min_length=1, max_length=128)] = None
    reason: Annotated[Text, Field(min_length=1, max_length=moderation.MAX_REASON)]


@router.post(
    "/skills/{scope}/{name}/report",
    status_code=201,
    dependencies=[*WRITE_LIMITS, Depends(limit_reports)],
    responses=error_responses(400, 401, 404, 422, 429),
)
def report(
    scope: str, name: str, body: ReportBody, request: Request, reg: RegistryDep, who: AuthDep
) -> dict[str, Any]:
    """Report a version (default: the latest) to the moderators, with the reason."""
    with write_session(reg.sessions) as session:
        return moderation.report(
            session,
            who,
            skills.full_name(scope, name),
            body.version,
            body.reason,
            ip=client_ip(request),
        )
