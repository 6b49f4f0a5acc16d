"""``POST /v1/status``: the current status of many locked versions in one request.

The client's pre-install quarantine check (npm's ``/-/npm/v1/security/advisories/bulk`` in
spirit). A read, though a POST (the list does not fit a URL): anonymous callers are
welcome, a token widens what is visible, and it is not counted by the write rate limit
(routes opt into that with ``WRITE_LIMITS``; this one does not). The answer depends on the
caller and on rescans, so it is never cached.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from tank.server.api.deps import PrincipalDep, SessionDep
from tank.server.api.schemas import Line, error_responses
from tank.server.services import status

router = APIRouter(tags=["skills"], responses=error_responses(400, 401, 413, 422))


class StatusBody(BaseModel):
    """The versions asked about, each ``@scope/name@version`` (at most 1000)."""

    model_config = ConfigDict(extra="forbid")

    versions: list[Annotated[Line, Field(min_length=1, max_length=300)]]


@router.post("/status")
def version_status(body: StatusBody, db: SessionDep, who: PrincipalDep) -> JSONResponse:
    """``{"versions": {key: {verdict, audit_score, servable, yanked, deleted, publisher,
    signature, signer, sigstore} | null}}``; null for a version unknown to the registry or private
    to others."""
    answer = status.statuses(db, who, body.versions)
    return JSONResponse(
        {"versions": answer}, headers={"Cache-Control": "no-store", "Vary": "Authorization"}
    )
