"""FastAPI dependencies: the registry, a session, and the caller."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tank.server.context import Registry
from tank.server.db.engine import write_session
from tank.server.errors import Forbidden, Unauthorized
from tank.server.services.auth import Principal, authenticate, touch_token


async def registry(request: Request) -> Registry:
    """The process-wide :class:`Registry` (async: a plain attribute read needs no thread)."""
    reg: Registry = request.app.state.registry
    return reg


RegistryDep = Annotated[Registry, Depends(registry)]


def session(reg: RegistryDep) -> Iterator[Session]:
    """A read session for one request (writes open their own write transaction)."""
    with reg.sessions() as s:
        yield s


SessionDep = Annotated[Session, Depends(session)]


def principal(
    reg: RegistryDep,
    db: SessionDep,
    authorization: Annotated[str | None, Header()] = None,
) -> Principal | None:
    """The caller, or None when anonymous. Bad credentials are a 401, never anonymous."""
    who = authenticate(db, authorization)
    if who is not None and who.stale_last_used:
        try:
            with write_session(reg.sessions) as ws:
                touch_token(ws, who.token_id)
        except OperationalError:  # best effort: a busy database must not fail the request
            pass
    return who


PrincipalDep = Annotated[Principal | None, Depends(principal)]


# Inline variants for the hottest read routes. FastAPI runs sync dependencies and handlers in
# a thread pool; for a request whose whole work is one indexed single-row query (well under a
# millisecond), the two thread hops cost more than the work, and dozens of threads trading the
# GIL on every SQLite call convoy (measured: 450 req/s on /v1/health with threads, see
# bench/README.md). These run the short query on the event loop instead. Anything slower
# (publish, search, dependency trees) stays on the thread pool.
async def inline_session(reg: RegistryDep) -> AsyncIterator[Session]:
    """A read session used on the event loop (for single-row lookups only)."""
    with reg.sessions() as s:
        yield s


InlineSessionDep = Annotated[Session, Depends(inline_session)]


async def inline_principal(
    reg: RegistryDep,
    db: InlineSessionDep,
    authorization: Annotated[str | None, Header()] = None,
) -> Principal | None:
    """:func:`principal` for inline routes (anonymous callers cost no query at all)."""
    if authorization is None:
        return None
    return principal(reg, db, authorization)


InlinePrincipalDep = Annotated[Principal | None, Depends(inline_principal)]


def require_principal(who: PrincipalDep) -> Principal:
    """The caller, who must be authenticated."""
    if who is None:
        raise Unauthorized(
            "this needs a token",
            hint="send 'Authorization: Bearer <token>'; get one with `tank login`",
        )
    return who


AuthDep = Annotated[Principal, Depends(require_principal)]


def require_admin(who: AuthDep) -> Principal:
    """An authenticated administrator holding an admin-scoped token."""
    if not (who.is_admin and who.has_scope("admin")):
        raise Forbidden("this needs an administrator's admin token", code="admin_only")
    return who


AdminDep = Annotated[Principal, Depends(require_admin)]


def client_ip(request: Request) -> str:
    """The peer address (the server is meant to sit behind a proxy that sets it right)."""
    return request.client.host if request.client else "unknown"
