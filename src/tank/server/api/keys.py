"""``/v1/keys`` (the caller's signing keys) and ``/v1/users/{username}/keys`` (anyone's)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from tank.server.api.deps import AuthDep, RegistryDep, SessionDep, client_ip
from tank.server.api.ratelimit import limit_writes
from tank.server.api.schemas import Line, Text, error_responses
from tank.server.db.engine import write_session
from tank.server.services import keys

router = APIRouter(tags=["accounts"], responses=error_responses(400, 401, 403, 404, 409, 422, 429))


class KeyRequest(BaseModel):
    """A public key to register: PEM text, or securesystemslib's key JSON as a string."""

    model_config = ConfigDict(extra="forbid")

    key: Annotated[Text, Field(min_length=1, max_length=4096)]
    name: Annotated[Line, Field(max_length=128)] = ""


@router.post("/keys", status_code=201, dependencies=[Depends(limit_writes)])
def add_key(body: KeyRequest, request: Request, reg: RegistryDep, who: AuthDep) -> dict[str, Any]:
    """Register a public key on your account (a token with the 'publish' scope)."""
    with write_session(reg.sessions) as session:
        row = keys.add_key(session, who, body.key, name=body.name, ip=client_ip(request))
        return keys.key_view(row)


@router.get("/keys")
def list_keys(db: SessionDep, who: AuthDep) -> dict[str, Any]:
    """Your keys, revoked ones included."""
    return {"username": who.username, "keys": keys.list_keys(db, who)}


@router.delete("/keys/{keyid}", dependencies=[Depends(limit_writes)])
def revoke_key(
    keyid: Annotated[str, Path(min_length=8, max_length=64, pattern=r"^[0-9a-fA-F]+$")],
    request: Request,
    reg: RegistryDep,
    who: AuthDep,
) -> dict[str, Any]:
    """Revoke one of your keys: what it signed is no longer trusted. Final."""
    with write_session(reg.sessions) as session:
        return keys.key_view(keys.revoke_key(session, who, keyid, ip=client_ip(request)))


@router.get("/users/{username}/keys")
def user_keys(
    username: Annotated[str, Path(max_length=64, pattern=r"^[^\x00-\x1f\x7f/]+$")],
    db: SessionDep,
) -> dict[str, Any]:
    """A user's signing keys (public; revoked ones marked), to verify their signatures."""
    return keys.user_keys(db, username)
