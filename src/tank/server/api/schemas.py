"""Pydantic models shared at the HTTP boundary, first of all the one JSON error shape.

Every error answer is ``{"error": {"code", "message", "detail", "hint", ...}}`` (see
:mod:`tank.server.errors` and the handlers in :mod:`tank.server.app`). Routes declare it in
OpenAPI with :func:`error_responses`::

    @router.get("/things/{id}", responses=error_responses(404, 422))

Declaring 422 also replaces FastAPI's default ``HTTPValidationError`` schema, which does not
describe what this API actually answers for a malformed request.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

#: No control characters (C0 and DEL): names, versions, tags, roles, scopes. PostgreSQL cannot
#: store NUL at all, and a control character in a name is never intended.
NO_CONTROLS = r"^[^\x00-\x1f\x7f]*$"
#: No NUL: free text (comments, reasons, passwords) may hold newlines and tabs.
NO_NUL = r"^[^\x00]*$"

#: A one-line string the database can store (add ``Field(max_length=...)`` for its column).
Line = Annotated[str, Field(pattern=NO_CONTROLS)]
#: Free text the database can store.
Text = Annotated[str, Field(pattern=NO_NUL)]
#: The largest value of the registry's integer id columns (INTEGER: 32-bit on PostgreSQL).
MAX_ID = 2**31 - 1


class ErrorProblem(BaseModel):
    """One problem of a validation report (request validation or a skill's files)."""

    model_config = ConfigDict(extra="allow")

    code: str
    message: str
    severity: str | None = None
    location: str | None = Field(default=None, description="where in the request, e.g. query.q")
    file: str | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None


class ErrorBody(BaseModel):
    """What went wrong, where, and how to fix it."""

    model_config = ConfigDict(extra="allow")

    code: str = Field(description="stable machine-readable code, e.g. not_found")
    message: str = Field(description="what went wrong")
    detail: str | None = None
    hint: str | None = Field(default=None, description="how to fix it")
    location: dict[str, Any] | None = Field(default=None, description="file, line, column")
    problems: list[ErrorProblem] | None = None


class ErrorResponse(BaseModel):
    """The one JSON shape of every error answer."""

    error: ErrorBody


_DESCRIPTIONS = {
    400: "Bad request (a malformed JSON body answers code bad_json)",
    401: "Missing or invalid credentials",
    403: "Not allowed",
    404: "Not found (or private and not yours)",
    409: "Conflict",
    410: "Gone",
    413: "Request body too large",
    415: "Unsupported media type (publish takes multipart/form-data)",
    422: "The request does not match the API",
    429: "Too many requests (see Retry-After)",
    503: "The database is busy (a lock held too long) or unreachable; see Retry-After",
    507: "A disk of the registry is full (the operator must free space); see Retry-After",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries declaring :class:`ErrorResponse` for ``statuses``."""
    return {
        status: {"model": ErrorResponse, "description": _DESCRIPTIONS.get(status, "Error")}
        for status in statuses
    }
