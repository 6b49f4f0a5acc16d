"""Refuse paths the database cannot hold before any route sees them (a pure ASGI middleware).

Path segments become names, versions, tags and usernames compared in SQL. PostgreSQL cannot
store or even compare a NUL byte (it answers an error, which was a 500), SQLite silently
can: so that both backends answer alike, a control character (C0 or DEL) anywhere in the
decoded path is refused here with the same 422 a malformed request gets from the routes' own
validation. No Tank name, version, tag or file path holds one. Query parameters are checked
by each route's declared pattern (``schemas.NO_CONTROLS``), where they are part of the
OpenAPI document; free-text search deliberately tolerates them (they separate words).
"""

from __future__ import annotations

import json
import re

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _problem(location: str) -> dict[str, str]:
    return {
        "code": "request.control_character",
        "message": "control characters (such as NUL) are not allowed here",
        "location": location,
    }


def problems_of(scope: Scope) -> list[dict[str, str]]:
    """The control-character problems of a request's path (empty: it may pass)."""
    return [_problem("path")] if _CONTROL.search(scope.get("path", "")) else []


async def _refuse(send: Send, problems: list[dict[str, str]]) -> None:
    body = json.dumps(
        {
            "error": {
                "code": "bad_request",
                "message": "the request does not match the API",
                "detail": "; ".join(f"{p['location']}: {p['message']}" for p in problems),
                "hint": "names, versions, tags and file paths are printable text",
                "problems": problems,
            }
        }
    ).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": 422,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode("ascii")),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RefuseControlCharacters:
    """ASGI middleware answering 422 to a request whose path holds a control character."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on unless :func:`problems_of` finds something."""
        if scope["type"] == "http":
            problems = problems_of(scope)
            if problems:
                await _refuse(send, problems)
                return
        await self.app(scope, receive, send)


def install_boundary(app: FastAPI) -> None:
    """Add the control-character check to ``app`` (called once by the app factory)."""
    app.add_middleware(RefuseControlCharacters)
