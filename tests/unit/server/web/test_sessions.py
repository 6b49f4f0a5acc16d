"""The CSRF token's derivation (bound to one cookie value, never revealing it) and the
session cookie's flags."""

from __future__ import annotations

from types import SimpleNamespace

from starlette.requests import Request
from starlette.responses import Response

from tank.server.web.sessions import csrf_for, set_session


def test_csrf_token_is_bound_to_its_cookie_and_hides_it() -> None:
    secret = "tank_" + "a" * 43
    token = csrf_for(secret)
    assert token == csrf_for(secret) and len(token) == 64
    assert token != csrf_for(secret[:-1] + "b") and "a" * 8 not in token
    assert int(token, 16) >= 0  # hex, safe in an HTML attribute


def _request(scheme: str) -> Request:
    app = SimpleNamespace(state=SimpleNamespace())  # no registry: no public_url to consult
    scope = {
        "type": "http", "scheme": scheme, "server": ("registry.test", 8800), "path": "/",
        "query_string": b"", "headers": [], "app": app,
    }  # fmt: skip
    return Request(scope)


def test_session_cookie_flags_follow_the_scheme() -> None:
    for scheme, secure in (("https", True), ("http", False)):
        answer = Response()
        set_session(_request(scheme), answer, "tank_" + "b" * 43)
        cookie = next(v for k, v in answer.raw_headers if v.startswith(b"tank_session="))
        text = cookie.decode()
        assert "HttpOnly" in text and "SameSite=lax" in text and "Max-Age=86400" in text
        assert ("Secure" in text) is secure, text
