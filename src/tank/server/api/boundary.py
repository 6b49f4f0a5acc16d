"""Refuse URLs the database cannot hold before any route sees them (a pure ASGI middleware).

Path segments and query values become names, versions and tags compared in SQL. PostgreSQL
cannot store or even compare a NUL byte (it answers an error, which was a 500), SQLite
silently can: so that both backends answer alike, a control character (C0 or DEL) anywhere in
the decoded path or in a query parameter is refused here with the same 422 a malformed
request gets from the routes' own validation. No Tank name, version, tag or file path holds
one.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl

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
    """The control-character problems of a request's path and query (empty: it may pass)."""
    found = []
    if _CONTROL.search(scope.get("path", "")):
        found.append(_problem("path"))
    query = bytes(scope.get("query_string", b"")).decode("latin-1")
    if query and _CONTROL.search(query + "".join(k + v for k, v in parse_qsl(query, True))):
        found.append(_problem("query"))
    return found


async def _refuse(send: Send, problems: list[dict[str, str]]) -> None:
    body = json.dumps(
        {
            "error": {
                "code": "bad_request",
                "message": "the request does not match the API",
                "detail": "; ".join(f"{p['location']}: {p['message']}" for p in problems),
                "hint": "names, versions, tags and search terms are printable text",
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
    """ASGI middleware answering 422 to a request whose path or query holds a control char."""

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
