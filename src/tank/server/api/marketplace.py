"""Claude Code plugin marketplaces: the catalogue and the git repositories it points at.

``/plugin marketplace add https://REGISTRY/v1/marketplace/@acme/.claude-plugin/marketplace.json``
adds every listed public skill of ``@acme``; each plugin is cloned from
``/v1/marketplace/@acme/<name>.git`` (git smart HTTP, read-only, one commit). The git routes
are left out of the OpenAPI document: they speak git's protocol, not JSON.
"""

from __future__ import annotations

import zlib
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from tank.core.gitpack import MAX_REQUEST_BYTES, advertisement, upload_pack
from tank.server.api.deps import RegistryDep, SessionDep
from tank.server.api.schemas import error_responses
from tank.server.errors import ApiError, NotFound
from tank.server.services import marketplace

router = APIRouter(tags=["marketplace"], responses=error_responses(404, 422))

_NO_CACHE = {"Cache-Control": "no-cache"}


def _base_url(reg: RegistryDep, request: Request) -> str:
    return reg.settings.public_url or str(request.base_url)


@router.get("/marketplace/curated/.claude-plugin/marketplace.json")
def curated(reg: RegistryDep, db: SessionDep, request: Request) -> dict[str, Any]:
    """The curated marketplace: the skills named in the ``marketplace_curated`` setting."""
    names = reg.settings.marketplace_curated
    return marketplace.curated_marketplace(db, names, _base_url(reg, request))


@router.get("/marketplace/{scope}/.claude-plugin/marketplace.json")
def scope_marketplace(
    scope: str, reg: RegistryDep, db: SessionDep, request: Request
) -> dict[str, Any]:
    """Every public skill of ``scope`` whose latest version passed the scan, as a Claude Code
    plugin marketplace (one plugin per skill, fetched from this registry by git)."""
    if not scope.startswith("@"):
        raise NotFound(
            f"no marketplace {scope!r}",
            code="marketplace_not_found",
            hint="name a scope with its '@' (/v1/marketplace/@acme/...) or use 'curated'",
        )
    return marketplace.scope_marketplace(db, scope, _base_url(reg, request))


@router.get("/marketplace/{scope}/{name}.git/info/refs", include_in_schema=False)
def git_refs(
    scope: str,
    name: str,
    reg: RegistryDep,
    db: SessionDep,
    service: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    """git's ref advertisement (smart HTTP only: a dumb client cannot clone shallowly)."""
    if service != "git-upload-pack":
        raise ApiError(
            "this repository is served over git's smart HTTP protocol only",
            code="git_smart_http_only",
            hint="clone it with git 1.6.6 or newer",
        )
    repo = marketplace.plugin_repository(db, reg, scope, name)
    return Response(
        advertisement(repo),
        media_type="application/x-git-upload-pack-advertisement",
        headers=_NO_CACHE,
    )


async def _request_body(request: Request) -> bytes:
    body = await request.body()
    if request.headers.get("content-encoding", "").lower() == "gzip":
        try:
            body = zlib.decompressobj(wbits=31).decompress(body, MAX_REQUEST_BYTES + 1)
        except zlib.error:
            raise ApiError("the gzip request body is corrupt", code="bad_gzip") from None
    return body[: MAX_REQUEST_BYTES + 1]


@router.post("/marketplace/{scope}/{name}.git/git-upload-pack", include_in_schema=False)
def git_upload_pack(
    scope: str,
    name: str,
    reg: RegistryDep,
    db: SessionDep,
    body: Annotated[bytes, Depends(_request_body)],
) -> Response:
    """One upload-pack exchange: the packfile of the plugin's one commit."""
    repo = marketplace.plugin_repository(db, reg, scope, name)
    return Response(
        upload_pack(repo, body),
        media_type="application/x-git-upload-pack-result",
        headers=_NO_CACHE,
    )
