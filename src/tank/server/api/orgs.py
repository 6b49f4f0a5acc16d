"""``/v1/orgs``: create orgs (their name becomes a scope) and manage members and roles."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from tank.server.api.deps import AuthDep, PrincipalDep, RegistryDep, SessionDep, client_ip
from tank.server.api.ratelimit import limit_writes
from tank.server.api.schemas import Line, error_responses
from tank.server.db.engine import write_session
from tank.server.db.models import User
from tank.server.errors import Unauthorized
from tank.server.services import accounts

router = APIRouter(tags=["orgs"], responses=error_responses(400, 401, 403, 404, 409, 422, 429))


class OrgRequest(BaseModel):
    """The org to create."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[Line, Field(max_length=64)]
    #: Admin tokens only: admit a reserved name or one resembling an existing scope.
    approve: bool = False


class MemberRequest(BaseModel):
    """A member's role: ``owner``, ``publisher`` or ``reader``."""

    model_config = ConfigDict(extra="forbid")

    role: Annotated[Line, Field(max_length=16)]


@router.post("/orgs", status_code=201, dependencies=[Depends(limit_writes)])
def create_org(
    body: OrgRequest, request: Request, reg: RegistryDep, who: AuthDep
) -> dict[str, Any]:
    """Create an org owned by the caller; its name becomes the scope ``@name``.

    A reserved name, or one resembling an existing scope, is refused (403, naming the scope)
    unless an admin token sends ``"approve": true``.
    """
    with write_session(reg.sessions) as session:
        owner = session.get(User, who.user_id)
        if owner is None:
            raise Unauthorized("this token's account no longer exists")
        accounts.create_org(
            session,
            body.name,
            owner=owner,
            principal=who,
            approve=body.approve,
            reserved=frozenset(reg.settings.reserved_scopes),
            ip=client_ip(request),
        )
        session.flush()
        return accounts.org_view(session, body.name, who)


@router.get("/orgs/{name}")
def get_org(name: str, db: SessionDep, who: PrincipalDep) -> dict[str, Any]:
    """An org and its scopes; its members only for members (and administrators)."""
    return accounts.org_view(db, name, who)


@router.put("/orgs/{name}/members/{username}", dependencies=[Depends(limit_writes)])
def put_member(
    name: str,
    username: str,
    body: MemberRequest,
    request: Request,
    reg: RegistryDep,
    who: AuthDep,
) -> dict[str, Any]:
    """Add a member or change a role (owners only; never demote the last owner)."""
    with write_session(reg.sessions) as session:
        member, added = accounts.set_member(
            session, name, username, body.role, principal=who, ip=client_ip(request)
        )
        return {"org": name, "username": username, "role": member.role, "added": added}


@router.delete("/orgs/{name}/members/{username}", dependencies=[Depends(limit_writes)])
def delete_member(
    name: str, username: str, request: Request, reg: RegistryDep, who: AuthDep
) -> dict[str, Any]:
    """Remove a member (owners only; never the last owner)."""
    with write_session(reg.sessions) as session:
        accounts.remove_member(session, name, username, principal=who, ip=client_ip(request))
    return {"org": name, "username": username, "removed": True}
