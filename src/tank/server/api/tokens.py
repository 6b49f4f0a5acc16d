"""``/v1/tokens`` and ``/v1/whoami``: log in, list and revoke tokens, and say who is calling."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from tank.server.api.deps import AuthDep, PrincipalDep, RegistryDep, SessionDep, client_ip
from tank.server.api.ratelimit import limit_writes
from tank.server.api.schemas import MAX_ID, Line, Text, error_responses
from tank.server.db.engine import write_session
from tank.server.db.models import User
from tank.server.errors import Unauthorized
from tank.server.services import accounts, tokens

router = APIRouter(tags=["accounts"], responses=error_responses(400, 401, 403, 404, 422, 429))


class TokenRequest(BaseModel):
    """Log in (username + password) or, with a bearer token, mint a narrower token."""

    model_config = ConfigDict(extra="forbid")

    username: Annotated[Line | None, Field(max_length=64)] = None
    password: Annotated[Text | None, Field(max_length=1024)] = None
    scopes: Annotated[list[Annotated[Line, Field(max_length=16)]], Field(max_length=3)] = ["read"]
    name: Annotated[Line, Field(max_length=128)] = ""
    expires_in_days: Annotated[int | None, Field(ge=-(2**31), le=2**31 - 1)] = None
    restrict_to: Annotated[list[Annotated[Line, Field(max_length=140)]], Field(max_length=64)] = []


@router.post("/tokens", status_code=201, dependencies=[Depends(limit_writes)])
def create_token(
    body: TokenRequest, request: Request, reg: RegistryDep, db: SessionDep, who: PrincipalDep
) -> dict[str, Any]:
    """A new token; its secret is in this answer and nowhere else, ever."""
    ip = client_ip(request)
    options: dict[str, Any] = {
        "scopes": body.scopes,
        "name": body.name,
        "expires_in_days": body.expires_in_days,
        "restrict_to": body.restrict_to,
        "ip": ip,
    }
    password_login = body.username is not None or body.password is not None
    user_id = None
    if password_login:
        # Check the password in the read transaction: argon2 must not hold the write lock.
        user_id = tokens.check_password(db, body.username or "", body.password or "").id
    db.close()
    with write_session(reg.sessions) as session:
        if user_id is not None:
            user = session.get(User, user_id)
            if user is None:  # deleted between the two transactions
                raise Unauthorized(tokens.BAD_LOGIN, code="bad_credentials")
            issued = tokens.issue(session, reg.settings, user, **options)
        elif who is not None:
            issued = tokens.mint(session, reg.settings, who, **options)
        else:
            raise Unauthorized(
                "give a username and password, or a bearer token",
                code="bad_credentials",
                hint="POST {'username', 'password', 'scopes'} to log in",
            )
        return issued.as_dict()


@router.get("/tokens")
def list_tokens(db: SessionDep, who: AuthDep) -> dict[str, Any]:
    """The caller's tokens (prefix, scopes, dates; never the secret)."""
    return {"tokens": tokens.list_tokens(db, who)}


@router.delete("/tokens/{token_id}", dependencies=[Depends(limit_writes)])
def revoke_token(
    token_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    request: Request,
    reg: RegistryDep,
    who: AuthDep,
) -> dict[str, Any]:
    """Revoke a token (your own; an administrator's admin token may revoke anyone's)."""
    with write_session(reg.sessions) as session:
        row = tokens.revoke(session, who, token_id, ip=client_ip(request))
        return tokens.token_view(row)


@router.get("/whoami")
def whoami(db: SessionDep, who: AuthDep) -> dict[str, Any]:
    """The caller: user, token scopes, orgs and roles, scopes owned, admin and verified."""
    return accounts.whoami(db, who)
