"""Reading the registry's answers: its documents, and its errors as Tank errors.

Split from :mod:`tank.client.http` (the transport), which uses these. Every answer is read
within bounds (:mod:`tank.core.boundedjson`): a hostile registry may send JSON nested 100,000
deep or 5,000-digit numbers, which must be a :class:`RegistryError`, not a crash. Hints are
rewritten for people at a terminal: the registry's API routes become CLI commands
(:mod:`tank.client.hints`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from tank.client.errors import AuthError, NotFoundError, RegistryError, ScanRefusedError
from tank.client.hints import for_cli
from tank.core import boundedjson
from tank.core.errors import Location, Problem, Severity

if TYPE_CHECKING:
    import httpx

#: Registry documents hold manifests (bounded at MAX_DEPTH) a few levels down.
_DEPTH = 2 * boundedjson.MAX_DEPTH
_BAD_HINT = "try again; if it persists, report it to the registry administrator"


def error_from(response: httpx.Response, what: str, base_url: str) -> RegistryError:
    """The error for a refusing answer to ``what`` (``GET /path``): the registry's own message,
    hint, code and problems when its body has them, by status class (auth, not found, a
    publish the scanner refused)."""
    status = response.status_code
    message, hint, code = f"{what} failed with HTTP {status}", None, None
    detail = None
    problems: list[Problem] = []
    try:
        body = boundedjson.loads(response.content, max_bytes=boundedjson.DOCUMENT_MAX_BYTES)
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
    elif status == 422 and code == "scan_failed":
        cls = ScanRefusedError
    error = cls(
        f"{message} ({base_url})",
        status=status,
        registry=base_url,
        code=code if isinstance(code, str) else None,
        hint=for_cli(hint) if isinstance(hint, str) else None,
        detail=detail if isinstance(detail, str) else None,
        problems=problems,
    )
    if isinstance(error, NotFoundError) and status == 404:
        error.skill = skill_of(what.split(" ", 1)[-1])
    return error


def skill_of(path: str) -> str | None:
    """The ``@scope/name`` a ``/v1/skills/@scope/name[/…]`` path is about, else None."""
    parts = path.split("?", 1)[0].split("/")
    if len(parts) < 5 or parts[:3] != ["", "v1", "skills"] or not parts[3].startswith("@"):
        return None
    return f"{unquote(parts[3])}/{unquote(parts[4])}"


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
                hint=for_cli(hint) if isinstance(hint, str) else None,
            )
        )
    return out


def json_of(response: httpx.Response, name: str) -> dict[str, Any]:
    """The JSON object of a registry answer about ``name``, read within bounds."""
    return document_of(response.content, name, response.status_code)


def document_of(body: bytes, name: str, status: int) -> dict[str, Any]:
    """The JSON object in ``body`` (a registry document about ``name``), or a RegistryError."""
    try:
        doc = boundedjson.loads(body, max_bytes=boundedjson.DOCUMENT_MAX_BYTES, max_depth=_DEPTH)
    except ValueError:
        raise RegistryError(
            f"the registry sent a broken document for {name}",
            status=status,
            code="bad_document",
            hint=_BAD_HINT,
        ) from None
    if not isinstance(doc, dict):
        raise RegistryError(
            f"bad document for {name}", status=status, code="bad_document", hint=_BAD_HINT
        )
    return doc
