"""Managing published versions: unpublish (DELETE), yank/unyank, dist-tags."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from tank.server.api.deps import AuthDep, RegistryDep, client_ip
from tank.server.api.publish import WRITE_LIMITS
from tank.server.api.schemas import Line, Text, error_responses
from tank.server.db.engine import write_session
from tank.server.services import manage, skills

router = APIRouter(
    tags=["manage"],
    dependencies=WRITE_LIMITS,
    responses=error_responses(400, 401, 403, 404, 409, 410, 422, 429),
)


class YankBody(BaseModel):
    """Why a version is yanked (shown to everyone who looks at it)."""

    reason: Annotated[Text | None, Field(max_length=1000)] = None


class TagBody(BaseModel):
    """The version a dist-tag should point to."""

    version: Annotated[Line, Field(max_length=128)]


@router.delete("/skills/{scope}/{name}/{version}")
def unpublish(
    scope: str, name: str, version: str, request: Request, reg: RegistryDep, who: AuthDep
) -> dict[str, Any]:
    """Unpublish a version (publishers of the scope, within the window, if nothing uses it)."""
    full = skills.full_name(scope, name)
    with write_session(reg.sessions) as session:
        manage.unpublish(session, reg.settings, who, full, version, ip=client_ip(request))
    return {"name": full, "version": skills.normalise_version(version), "deleted": True}


def _yank(
    scope: str, name: str, version: str, request: Request, reg: RegistryDep, who: AuthDep,
    *, yanked: bool, reason: str | None,
) -> dict[str, Any]:  # fmt: skip
    full = skills.full_name(scope, name)
    with write_session(reg.sessions) as session:
        row = manage.set_yanked(
            session, reg.settings, who, full, version, yanked=yanked, reason=reason,
            ip=client_ip(request),
        )  # fmt: skip
        skill = skills.visible_skill(session, who, full)
        return skills.version_document(session, skill, row)


@router.post("/skills/{scope}/{name}/{version}/yank")
def yank(
    scope: str, name: str, version: str, request: Request, reg: RegistryDep, who: AuthDep,
    body: YankBody | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Yank a version: lockfiles still install it, no new resolution picks it."""
    reason = body.reason if body else None
    return _yank(scope, name, version, request, reg, who, yanked=True, reason=reason)


@router.post("/skills/{scope}/{name}/{version}/unyank")
def unyank(
    scope: str, name: str, version: str, request: Request, reg: RegistryDep, who: AuthDep
) -> dict[str, Any]:
    """Undo a yank."""
    return _yank(scope, name, version, request, reg, who, yanked=False, reason=None)


@router.put("/skills/{scope}/{name}/dist-tags/{tag}")
def put_tag(
    scope: str, name: str, tag: str, body: TagBody, request: Request, reg: RegistryDep,
    who: AuthDep,
) -> dict[str, Any]:  # fmt: skip
    """Point a dist-tag (not ``latest``) at a version."""
    full = skills.full_name(scope, name)
    with write_session(reg.sessions) as session:
        tags = manage.set_dist_tag(
            session, reg.settings, who, full, tag, body.version, ip=client_ip(request)
        )
    return {"name": full, "dist_tags": tags}


@router.delete("/skills/{scope}/{name}/dist-tags/{tag}")
def delete_tag(
    scope: str, name: str, tag: str, request: Request, reg: RegistryDep, who: AuthDep
) -> dict[str, Any]:
    """Remove a dist-tag (not ``latest``)."""
    full = skills.full_name(scope, name)
    with write_session(reg.sessions) as session:
        tags = manage.set_dist_tag(
            session, reg.settings, who, full, tag, None, ip=client_ip(request)
        )
    return {"name": full, "dist_tags": tags}
