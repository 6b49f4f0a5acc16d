"""Web sign-in, sessions, CSRF and the account page's tokens over a real registry subprocess,
on SQLite and PostgreSQL: the cookie's flags, rotation on sign-in, a forged form refused,
password guessing rate-limited, tokens created (shown once, usable by the API) and revoked,
and signing out ending the session on the server."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx

from tank.server.admin import create_user
from tank.server.web.sessions import PRESESSION_COOKIE, SESSION_COOKIE
from tests.conftest import Server
from tests.functional.test_publish_api import PASSWORD


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]{64})"', page)
    assert found, page[:500]
    return found.group(1)


def sign_in(browser: httpx.Client, username: str, password: str) -> httpx.Response:
    form = browser.get("/signin")
    if form.status_code == 303:  # signed in already: the form's token is the session's
        form = browser.get("/account")
    assert form.status_code == 200 and form.headers["cache-control"] == "no-store"
    data = {"csrf": csrf_of(form.text), "username": username, "password": password}
    return browser.post("/signin", data=data)


def api_status(server: Server, secret: str) -> int:
    return server.client(secret).get("/v1/whoami").status_code


def test_sign_in_tokens_and_sign_out(server_factory: Callable[..., Server]) -> None:
    server = server_factory(env={"TANK_REGISTRY_RATE_LIMIT_SIGNIN": "5"})
    create_user(server.db_url, "alice", PASSWORD)
    browser = httpx.Client(base_url=server.url, timeout=60)

    # Anonymous: the account page sends to the sign-in form, whose cookie is HttpOnly + Lax.
    assert browser.get("/account").headers["location"] == "/signin"
    first = browser.get("/signin")
    cookie = first.headers["set-cookie"]
    assert cookie.startswith(f"{PRESESSION_COOKIE}=") and "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower() and "Secure" not in cookie  # plain http here

    # A form without the token, or with another's, is refused before the password is read.
    forged = {"username": "alice", "password": PASSWORD}
    assert browser.post("/signin", data={**forged, "csrf": "0" * 64}).status_code == 403
    stranger = {**forged, "csrf": csrf_of(first.text)}  # without the cookie it came with
    assert httpx.post(f"{server.url}/signin", data=stranger).status_code == 403
    assert browser.post("/signin", data=forged).status_code == 422

    wrong = sign_in(browser, "alice", "not the password")
    assert wrong.status_code == 401 and "invalid username or password" in wrong.text
    assert SESSION_COOKIE not in browser.cookies

    answer = sign_in(browser, "alice", PASSWORD)
    assert answer.status_code == 303 and answer.headers["location"] == "/account"
    flags = answer.headers.get_list("set-cookie")
    session_cookie = next(c for c in flags if c.startswith(f"{SESSION_COOKIE}="))
    assert "HttpOnly" in session_cookie and "samesite=lax" in session_cookie.lower()
    assert "Max-Age=86400" in session_cookie
    first_secret = browser.cookies[SESSION_COOKIE]
    assert api_status(server, first_secret) == 200  # a session is a token the registry checks

    # Signing in again rotates: a new secret, and the old one no longer works.
    assert sign_in(browser, "alice", PASSWORD).status_code == 303
    assert browser.cookies[SESSION_COOKIE] != first_secret
    assert api_status(server, first_secret) == 401

    account = browser.get("/account")
    assert account.status_code == 200 and "Signed in as alice" in account.text
    assert account.headers["cache-control"] == "no-store"
    assert browser.get("/").text.count('id="nav-account"') == 1
    csrf = csrf_of(account.text)
    assert browser.cookies[SESSION_COOKIE] not in account.text  # the page never prints it

    # Create a token: shown once, with its scopes, usable by the API.
    made = browser.post(
        "/account/tokens",
        data={"csrf": csrf, "name": "laptop", "scopes": ["read", "publish"], "expires_in_days": 7},
    )
    assert made.status_code == 201, made.text
    secret = re.search(r'id="new-token-secret" readonly value="(tank_[^"]+)"', made.text)
    assert secret and "laptop" in made.text.split("Your tokens", 1)[1]  # listed at once
    who = server.client(secret.group(1)).get("/v1/whoami").json()
    assert who["username"] == "alice" and who["scopes"] == ["publish", "read"]
    again = browser.get("/account").text
    assert "laptop" in again and secret.group(1) not in again
    admin = browser.post("/account/tokens", data={"csrf": csrf, "scopes": ["admin"]})
    assert admin.status_code == 403
    assert browser.post("/account/tokens", data={"scopes": ["read"]}).status_code == 422

    # Revoke it from the page: the API refuses it from then on.
    token_id = who["token_id"]
    refused = browser.post(f"/account/tokens/{token_id}/revoke", data={"csrf": "f" * 64})
    assert refused.status_code == 403 and api_status(server, secret.group(1)) == 200
    done = browser.post(f"/account/tokens/{token_id}/revoke", data={"csrf": csrf})
    assert done.status_code == 303 and api_status(server, secret.group(1)) == 401
    assert f'id="token-{token_id}"' in browser.get("/account").text

    # Sign out: the session's token is revoked on the server, not only forgotten.
    session_secret = browser.cookies[SESSION_COOKIE]
    out = browser.post("/signout", data={"csrf": csrf})
    assert out.status_code == 303 and api_status(server, session_secret) == 401
    assert SESSION_COOKIE not in browser.cookies
    assert browser.get("/account").status_code == 303

    # Password guessing: three attempts so far; the sixth in a minute is refused, right
    # password or not (a minute boundary crossed meanwhile only lets one or two more by).
    statuses = [sign_in(browser, "alice", "guess").status_code for _ in range(2)]
    statuses += [sign_in(browser, "alice", PASSWORD).status_code for _ in range(3)]
    assert statuses[:2] == [401, 401] and 429 in statuses[2:], statuses
    limited = sign_in(browser, "alice", PASSWORD)
    assert limited.status_code == 429 and "too many sign-in attempts" in limited.text
    browser.close()
