"""Security headers on every HTML page and every static file (a pure ASGI middleware).

The policy allows nothing but the registry's own files: no inline script or style (so an
injection that survived the sanitizer still could not run), no framing (clickjacking), no
plugins, forms posting only back here. The API's JSON answers are untouched (they set their
own headers; a skill's raw files are served with ``Content-Security-Policy: sandbox``).

FastAPI's interactive API docs (``/v1/docs``) are the one HTML page left out: they are
FastAPI's own page, built on inline script and a CDN, not part of the web UI.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CONTENT_SECURITY_POLICY", "PAGE_HEADERS", "SecurityHeaders"]

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

#: Headers every HTML response and static file carries.
PAGE_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)

_EXEMPT = ("/v1/docs", "/api/v1/docs")


class SecurityHeaders:
    """Add :data:`PAGE_HEADERS` to HTML responses and to ``/static/`` files."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, adding the headers to a response that needs them."""
        if scope["type"] != "http" or scope.get("path", "").startswith(_EXEMPT):
            await self.app(scope, receive, send)
            return
        static = scope.get("path", "").startswith(("/static/", "/assets/"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if static or headers.get("content-type", "").startswith("text/html"):
                    for name, value in PAGE_HEADERS:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
