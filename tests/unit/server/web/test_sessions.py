"""The CSRF token's derivation: bound to one cookie value, never revealing it."""

from __future__ import annotations

from tank.server.web.sessions import csrf_for


def test_csrf_token_is_bound_to_its_cookie_and_hides_it() -> None:
    secret = "tank_" + "a" * 43
    token = csrf_for(secret)
    assert token == csrf_for(secret) and len(token) == 64
    assert token != csrf_for(secret[:-1] + "b") and "a" * 8 not in token
    assert int(token, 16) >= 0  # hex, safe in an HTML attribute
