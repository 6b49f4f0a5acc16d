"""Sign in, sign out, and the account page (API tokens: create, list, revoke).

Thin handlers over the services the API uses: the password check and token issue of
:mod:`tank.server.services.tokens` (no second password check), the write rate limiter of
:mod:`tank.server.api.ratelimit`. Every POST checks the form's CSRF token first
(:func:`tank.server.web.sessions.check_csrf`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from tank.server.api.deps import RegistryDep, SessionDep, client_ip
from tank.server.api.ratelimit import limiters
from tank.server.api.schemas import MAX_ID, NO_CONTROLS
from tank.server.context import Registry
from tank.server.db.engine import write_session
from tank.server.db.models import Token, User
from tank.server.errors import RateLimited, Unauthorized
from tank.server.services import tokens
from tank.server.services.auth import Principal, authenticate
from tank.server.web.pages import PageRoute, page
from tank.server.web.sessions import (
    SESSION_DAYS,
    SESSION_NAME,
    SessionViewer,
    check_csrf,
    clear_session,
    csrf_for,
    form_writer,
    presession,
    session_secret,
    set_presession,
    set_session,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)

Csrf = Annotated[str, Form(max_length=64)]
_USERNAME = Form(max_length=64, pattern=NO_CONTROLS)
_PASSWORD = Form(max_length=1024)


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _signin_page(request: Request, status: int = 200, **context: Any) -> HTMLResponse:
    value, new = presession(request)
    answer = page("signin.html", status, title="Sign in", csrf=csrf_for(value), **context)
    answer.headers["Cache-Control"] = "no-store"
    if new:
        set_presession(request, answer, value)
    return answer


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request, who: SessionViewer) -> Response:
    """The sign-in form (the account page for someone signed in already)."""
    if who is not None:
        return _see_other("/account")
    return _signin_page(request, username="", error=None)


def _limit_signin(request: Request, reg: Registry, username: str) -> None:
    """Count a sign-in attempt per client IP and per username (429 when over)."""
    limit = reg.settings.rate_limit_signin
    keys = [(f"signin:ip:{client_ip(request)}", limit), (f"signin:user:{username}", limit)]
    decision = limiters(request, reg).writes.acquire(keys)
    if not decision.allowed:
        raise RateLimited(
            f"too many sign-in attempts; try again in {decision.retry_after} s",
            retry_after=decision.retry_after,
            hint="wait, then check the username and password",
        )


@router.post("/signin", response_class=HTMLResponse)
def signin(
    request: Request,
    reg: RegistryDep,
    db: SessionDep,
    csrf: Csrf,
    username: Annotated[str, _USERNAME],
    password: Annotated[str, _PASSWORD],
) -> Response:
    """Check the password, start a new session (revoking the one the browser had)."""
    check_csrf(request, csrf)
    try:
        _limit_signin(request, reg, username.lower())
        # Argon2 in the read transaction: it must not hold the write lock.
        user_id = tokens.check_password(db, username, password).id
    except (Unauthorized, RateLimited) as error:
        status = 429 if isinstance(error, RateLimited) else 401
        return _signin_page(request, status, username=username, error=error.message)
    db.close()
    old = session_secret(request)
    with write_session(reg.sessions) as session:
        user = session.get(User, user_id)
        if user is None:
            raise Unauthorized(tokens.BAD_LOGIN, code="bad_credentials")
        if old is not None:
            _end_session(session, user, old)
        scopes = ["read", "publish", *(["admin"] if user.is_admin else [])]
        issued = tokens.issue(
            session,
            reg.settings,
            user,
            scopes=scopes,
            name=SESSION_NAME,
            expires_in_days=SESSION_DAYS,
            ip=client_ip(request),
            via="web",
        )
    answer = _see_other("/account")
    set_session(request, answer, issued.secret)
    return answer


def _end_session(session: Session, user: User, secret: str) -> None:
    """Revoke the session token ``secret`` if it belongs to ``user`` (rotation on sign-in:
    a cookie planted before sign-in never becomes a signed-in session)."""
    try:
        who = authenticate(session, f"Bearer {secret}")
    except Unauthorized:
        return
    if who is not None and who.user_id == user.id:
        tokens.revoke(session, who, who.token_id)


@router.post("/signout", response_class=HTMLResponse)
def signout(request: Request, reg: RegistryDep, who: SessionViewer, csrf: Csrf) -> Response:
    """End the session on the server (its token is revoked) and in the browser."""
    check_csrf(request, csrf)
    if who is not None:
        with write_session(reg.sessions) as session:
            tokens.revoke(session, who, who.token_id, ip=client_ip(request))
    answer = _see_other("/")
    clear_session(request, answer)
    return answer


def _account_page(
    request: Request, db: Session, who: Principal, status: int = 200, **context: Any
) -> HTMLResponse:
    rows = tokens.list_tokens(db, who)
    secret = session_secret(request) or ""
    return page(
        "account.html",
        status,
        title="Your account",
        who=who,
        tokens=rows,
        csrf=csrf_for(secret),
        **{"new_token": None, "error": None, **context},
    )


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, db: SessionDep, who: SessionViewer) -> Response:
    """The signed-in user's tokens, a form to create one, and the sign-out button."""
    if who is None:
        return _see_other("/signin")
    return _account_page(request, db, who)


@router.post("/account/tokens", response_class=HTMLResponse)
def create_token(
    request: Request,
    reg: RegistryDep,
    db: SessionDep,
    who: SessionViewer,
    csrf: Csrf,
    name: Annotated[str, Form(max_length=128, pattern=NO_CONTROLS)] = "",
    scopes: Annotated[list[str] | None, Form(max_length=3)] = None,
    expires_in_days: Annotated[int | None, Form(ge=1, le=tokens.MAX_EXPIRY_DAYS)] = None,
    restrict_to: Annotated[str, Form(max_length=2048, pattern=NO_CONTROLS)] = "",
) -> Response:
    """A new API token for the signed-in user; its secret is shown on this answer only."""
    user = form_writer(request, reg, who, csrf)
    wanted = [s[:16] for s in (scopes or [])]
    restrictions = [r for r in restrict_to.replace(",", " ").split() if r][:64]
    with write_session(reg.sessions) as session:
        row = session.get(User, user.user_id)
        if row is None:
            raise Unauthorized("this session's account no longer exists")
        issued = tokens.issue(
            session,
            reg.settings,
            row,
            scopes=wanted,
            name=name.strip(),
            expires_in_days=expires_in_days,
            restrict_to=restrictions,
            principal=user,
            ip=client_ip(request),
            via="web",
        )
        secret = issued.secret
        created = tokens.token_view(issued.row)
    db.close()  # its transaction began before the write: a new one sees the new token
    return _account_page(request, db, user, 201, new_token={"secret": secret, **created})


@router.post("/account/tokens/{token_id}/revoke", response_class=HTMLResponse)
def revoke_token(
    request: Request,
    reg: RegistryDep,
    who: SessionViewer,
    csrf: Csrf,
    token_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> Response:
    """Revoke one of the signed-in user's tokens (this session's own signs out)."""
    user = form_writer(request, reg, who, csrf)
    with write_session(reg.sessions) as session:
        tokens.revoke(session, user, token_id, ip=client_ip(request))
        ended = session.get(Token, token_id)
    answer = _see_other("/" if token_id == user.token_id else "/account")
    if ended is not None and token_id == user.token_id:
        clear_session(request, answer)
    return answer
