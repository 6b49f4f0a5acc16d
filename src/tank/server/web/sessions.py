"""Web sessions: sign-in cookies, the signed-in viewer, and CSRF tokens.

A session *is* an API token (:mod:`tank.server.services.tokens`), named ``web session``,
whose secret travels only in an ``HttpOnly`` cookie. This was chosen over signed cookies
and over a new table because the token table already gives everything a session needs,
checked by the code every API call goes through (``auth.authenticate``): only a digest is
stored, it expires (:data:`SESSION_DAYS`), signing out revokes it on the server (a signed
cookie could not be ended before its expiry), disabling an account ends it, the audit log
records its creation and revocation, and the account page lists it next to the user's
other tokens, where it can be revoked like them. A cookie holding a token secret is as
strong as that token: the cookie is ``HttpOnly`` (no script reads it), ``SameSite=Lax``
(no cross-site POST carries it), ``Secure`` when the registry is served over https (the
request's scheme, or an https ``public_url``), and the pages answer with a CSP that
forbids any script but the site's own.

CSRF: every form carries a token derived from a cookie the attacker cannot read (the session
secret when signed in; a random ``tank_presession`` cookie before, for the sign-in form), and
every POST checks it (:func:`check_csrf`). Deriving it with SHA-256 under a fixed label
means the page never prints the session secret itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request, Response
from sqlalchemy.orm import Session

from tank.server.api.deps import SessionDep, client_ip
from tank.server.api.ratelimit import limiters
from tank.server.context import Registry
from tank.server.errors import Forbidden, RateLimited, Unauthorized
from tank.server.services.auth import TOKEN_PREFIX, Principal, authenticate

__all__ = [
    "PRESESSION_COOKIE", "SESSION_COOKIE", "SESSION_DAYS", "SESSION_NAME", "SessionViewer",
    "check_csrf", "clear_session", "csrf_for", "form_writer", "page_csrf", "presession",
    "session_secret", "session_viewer", "set_presession", "set_session",
]  # fmt: skip

SESSION_COOKIE = "tank_session"
PRESESSION_COOKIE = "tank_presession"
#: The name of the tokens that are web sessions (shown on the account page).
SESSION_NAME = "web session"
#: How long a session lasts (the token's expiry; the cookie's Max-Age says the same).
SESSION_DAYS = 1
_MAX_COOKIE = 128  # a token secret is 48 characters; anything longer is not ours


def _cookie(request: Request, name: str) -> str | None:
    value = request.cookies.get(name)
    return value if value and len(value) <= _MAX_COOKIE else None


def session_secret(request: Request) -> str | None:
    """The session token secret in the request's cookie, if it looks like one."""
    value = _cookie(request, SESSION_COOKIE)
    return value if value and value.startswith(TOKEN_PREFIX) else None


def resolve(db: Session, request: Request) -> Principal | None:
    """The signed-in user behind the session cookie, or None. An unknown, expired or revoked
    session is anonymous (a stale cookie must not break browsing): the pages then show what
    an anonymous caller sees, never more."""
    secret = session_secret(request)
    if secret is None:
        return None
    try:
        return authenticate(db, f"Bearer {secret}")
    except Unauthorized:
        return None


def session_viewer(request: Request, db: SessionDep) -> Principal | None:
    """The page dependency: who is looking (a FastAPI dependency)."""
    return resolve(db, request)


SessionViewer = Annotated[Principal | None, Depends(session_viewer)]


def csrf_for(value: str) -> str:
    """The CSRF token bound to a cookie value (hex; the cookie value never appears in it)."""
    return hashlib.sha256(b"tank-web-csrf\0" + value.encode("utf-8")).hexdigest()


def page_csrf(request: Request) -> str:
    """The CSRF token for the forms of a signed-in page ("" when there is no session)."""
    secret = session_secret(request)
    return csrf_for(secret) if secret else ""


def check_csrf(request: Request, submitted: str) -> None:
    """Refuse (403) a POST whose form token does not match its session (or pre-session)
    cookie: another site can make a browser post here, but cannot read either cookie."""
    value = session_secret(request) or _cookie(request, PRESESSION_COOKIE)
    if value is None or not hmac.compare_digest(csrf_for(value), submitted):
        raise Forbidden(
            "this form's security token does not match your session",
            code="csrf",
            hint="reload the page and send the form again",
        )


def _secure(request: Request) -> bool:
    """Whether cookies get ``Secure``: the request came over https, or the registry's public
    address is https (a proxy in front may speak plain http to it)."""
    reg: Registry | None = getattr(request.app.state, "registry", None)
    public = (reg.settings.public_url or "") if reg is not None else ""
    return request.url.scheme == "https" or public.startswith("https://")


def presession(request: Request) -> tuple[str, bool]:
    """The pre-session value (the sign-in form's CSRF token is derived from it) and whether
    it is new, in which case :func:`set_presession` must send it."""
    value = _cookie(request, PRESESSION_COOKIE)
    return (value, False) if value is not None else (secrets.token_urlsafe(32), True)


def set_presession(request: Request, response: Response, value: str) -> None:
    """Send the pre-session cookie (an hour: the time to fill in the sign-in form)."""
    response.set_cookie(
        PRESESSION_COOKIE,
        value,
        max_age=3600,
        path="/",
        secure=_secure(request),
        httponly=True,
        samesite="lax",
    )


def set_session(request: Request, response: Response, secret: str) -> None:
    """Put a new session secret in the cookie (rotation: the old one is revoked by the
    caller) and drop the pre-session cookie."""
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=SESSION_DAYS * 86400,
        path="/",
        secure=_secure(request),
        httponly=True,
        samesite="lax",
    )
    response.delete_cookie(PRESESSION_COOKIE, path="/")


def clear_session(request: Request, response: Response) -> None:
    """Remove the session cookie from the browser."""
    response.delete_cookie(
        SESSION_COOKIE, path="/", secure=_secure(request), httponly=True, samesite="lax"
    )


def form_writer(request: Request, reg: Registry, who: Principal | None, csrf: str) -> Principal:
    """The signed-in user behind a form that changes something: the CSRF token checked, a
    session required, and the write counted against the rate limits the API's writes use
    (per session token and per client address)."""
    check_csrf(request, csrf)
    if who is None:
        raise Unauthorized("sign in first", hint="go to /signin")
    keys = [
        (f"write:token:{who.token_id}", reg.settings.rate_limit_writes_per_token),
        (f"write:ip:{client_ip(request)}", reg.settings.rate_limit_writes_per_ip),
    ]
    decision = limiters(request, reg).writes.acquire(keys)
    if not decision.allowed:
        raise RateLimited(
            f"too many changes; try again in {decision.retry_after} s",
            retry_after=decision.retry_after,
            hint="wait for the delay; the registry admin sets the limits",
        )
    return who
