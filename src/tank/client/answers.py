"""Reading the registry's answers: its documents, and its errors as Tank errors.

Split from :mod:`tank.client.http` (the transport), which uses these.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tank.client.errors import AuthError, NotFoundError, RegistryError
from tank.core.errors import Location, Problem, Severity

if TYPE_CHECKING:
    import httpx


def error_from(response: httpx.Response, what: str, base_url: str) -> RegistryError:
    """The error for a refusing answer to ``what`` (``GET /path``): the registry's own message,
    hint, code and problems when its body has them, by status class (auth, not found)."""
    status = response.status_code
    message, hint, code = f"{what} failed with HTTP {status}", None, None
    detail = None
    problems: list[Problem] = []
    try:
        body = response.json()
        err = body.get("error") if isinstance(body, dict) else None
        if isinstance(err, dict):
            message = str(err.get("message") or message)
            hint = err.get("hint")
            code = err.get("code")
            detail = err.get("detail")
            problems = problems_of(err.get("problems"))
    except ValueError:
        pass
    cls: type[RegistryError] = RegistryError
    if status in (401, 403):
        cls = AuthError
        hint = hint or "log in with `tank login` or set TANK_TOKEN"
    elif status in (404, 410):
        cls = NotFoundError
    return cls(
        f"{message} ({base_url})",
        status=status,
        code=code if isinstance(code, str) else None,
        hint=hint if isinstance(hint, str) else None,
        detail=detail if isinstance(detail, str) else None,
        problems=problems,
    )


def problems_of(raw: object) -> list[Problem]:
    """The registry's validation problems (its error body's ``problems``), read leniently."""
    if not isinstance(raw, list):
        return []
    out: list[Problem] = []
    for item in raw[:200]:
        if not isinstance(item, dict) or not isinstance(item.get("message"), str):
            continue
        line = item.get("line")
        where = item.get("file")
        location = (
            Location(
                file=where if isinstance(where, str) else None,
                line=line if isinstance(line, int) else None,
            )
            if where is not None or line is not None
            else None
        )
        hint = item.get("hint")
        out.append(
            Problem(
                code=str(item.get("code") or "registry"),
                message=item["message"],
                severity=Severity.WARNING if item.get("severity") == "warning" else Severity.ERROR,
                location=location,
                hint=hint if isinstance(hint, str) else None,
            )
        )
    return out


def document_of(body: bytes, name: str, status: int) -> dict[str, Any]:
    try:
        doc = json.loads(body)
    except ValueError:
        raise RegistryError(
            f"the registry sent a broken document for {name}",
            status=status,
            code="bad_document",
            hint="try again; if it persists, report it to the registry administrator",
        ) from None
    if not isinstance(doc, dict):
        raise RegistryError(f"bad document for {name}", status=status)
    return doc
