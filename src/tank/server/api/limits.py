"""Request size limits: a pure ASGI middleware answering 413 before a big body is read.

Uploads (``multipart/*`` and raw tarball types) may be up to ``settings.max_upload_bytes``
(plus :data:`MULTIPART_OVERHEAD` for a multipart body's framing and small fields: the publish
route checks the tarball itself against the exact limit). Every other body, JSON above all,
may be up to ``settings.max_json_bytes``. A declared ``Content-Length`` over the limit is
refused before one byte is read; a chunked (or lying) body is counted as it streams and
refused as soon as it passes the limit, whatever the application was doing with it. Either
way the answer is the one JSON error shape.
"""

from __future__ import annotations

import json

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tank.server.errors import ApiError, TooLarge, error_body
from tank.server.settings import Settings

#: Content types that carry a skill tarball (everything else gets the JSON limit).
UPLOAD_TYPES = (
    "multipart/",
    "application/octet-stream",
    "application/gzip",
    "application/x-gzip",
    "application/x-tar",
    "application/x-gtar",
)

#: Room for multipart framing and the text fields next to the tarball (as the publish route).
MULTIPART_OVERHEAD = 256 * 1024


class _BodyTooLarge(Exception):
    """Raised from ``receive`` to stop the application reading further."""


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


async def _answer(send: Send, error: ApiError) -> None:
    body = json.dumps(error_body(error)).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": error.status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode("ascii")),
                # The rest of the body is never read: the connection cannot be reused.
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _too_large(limit: int, upload: bool) -> TooLarge:
    what = "upload" if upload else "request body"
    setting = "max_upload_bytes" if upload else "max_json_bytes"
    return TooLarge(
        f"the {what} is larger than this registry accepts ({limit} bytes)",
        code="too_large",
        hint=f"send less; the registry admin sets the limit ({setting})",
    )


class BodySizeLimit:
    """ASGI middleware enforcing the two body size limits."""

    def __init__(self, app: ASGIApp, *, max_upload_bytes: int, max_json_bytes: int) -> None:
        self.app = app
        self.max_upload_bytes = max_upload_bytes
        self.max_json_bytes = max_json_bytes

    def limit_for(self, content_type: str | None) -> tuple[int, bool]:
        """(limit, is_upload) for a request of ``content_type``."""
        kind = (content_type or "").split(";", 1)[0].strip().lower()
        if kind.startswith("multipart/"):
            return self.max_upload_bytes + MULTIPART_OVERHEAD, True
        if kind.startswith(UPLOAD_TYPES):
            return self.max_upload_bytes, True
        return self.max_json_bytes, False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse by Content-Length up front, else count the streamed bytes."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, upload = self.limit_for(_header(scope, b"content-type"))
        declared = _header(scope, b"content-length")
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                size = -1
            if size < 0:
                await _answer(
                    send, ApiError("the Content-Length header is not a number", code="bad_request")
                )
                return
            if size > limit:
                await _answer(send, _too_large(limit, upload))
                return

        received = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                return  # the app's answer to a broken read (often a 400): we answer 413
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await _answer(send, _too_large(limit, upload))


def install_limits(app: FastAPI, settings: Settings) -> None:
    """Add the request size limits to ``app`` (called once by the app factory)."""
    app.add_middleware(
        BodySizeLimit,
        max_upload_bytes=settings.max_upload_bytes,
        max_json_bytes=settings.max_json_bytes,
    )
