"""Reading skills: the list, a skill's document, a version, its tarball, files, dependencies.

The scope segment carries its '@' (``/v1/skills/@acme/pdf``); ``%40`` and ``%2F`` forms work
because the path is decoded before routing. Private skills answer 404 to anyone who may not
read them, on every route, so their existence does not leak.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import JSONResponse

from tank.core.signed_documents import HEADER as SIGNATURE_HEADER
from tank.core.unpack import read_archive
from tank.server.api.deps import (
    InlinePrincipalDep,
    InlineSessionDep,
    PrincipalDep,
    RegistryDep,
    SessionDep,
)
from tank.server.api.schemas import NO_CONTROLS, error_responses
from tank.server.errors import NotFound
from tank.server.services import hot, skills
from tank.server.services.blobs import stored_tarball
from tank.server.services.document_signing import signature_header

router = APIRouter(tags=["skills"], responses=error_responses(401, 404, 409, 410, 422, 451))

IMMUTABLE = "public, max-age=31536000, immutable"
_UNTRUSTED = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"}

IfNoneMatch = Annotated[str | None, Header()]


def etag_matches(header: str | None, etag: str) -> bool:
    """RFC 9110 If-None-Match: ``*`` or any listed tag equal by weak comparison."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(part.strip().removeprefix("W/") == bare for part in header.split(","))


@router.get("/skills")
def list_skills(
    db: SessionDep,
    who: PrincipalDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    """Skills the caller may see, by name, one page at a time."""
    return skills.list_skills(db, who, page=page, per_page=per_page)


@router.get("/skills/{scope}/{name}")
async def skill_document(
    scope: str,
    name: str,
    reg: RegistryDep,
    db: InlineSessionDep,
    who: InlinePrincipalDep,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The skill's metadata document (pre-serialised), with a strong ETag and the registry's
    signature (``Tank-Document-Signature``: a DSSE envelope over the body's digest, its
    serial and an expiry; on a 304 too)."""
    doc = hot.document(db, who, skills.full_name(scope, name))
    max_age = reg.settings.document_max_age_seconds
    public = f"public, max-age={max_age}" if max_age else "public, no-cache"
    cache = "private, no-cache" if doc.private else public
    headers = {
        "ETag": doc.etag,
        "Cache-Control": cache,
        "Vary": "Authorization",
        SIGNATURE_HEADER: signature_header(reg, db, doc),
    }
    if etag_matches(if_none_match, doc.etag):
        return Response(status_code=304, headers=headers)
    return Response(doc.body, media_type="application/json", headers=headers)


@router.get("/skills/{scope}/{name}/deps")
def dependencies(
    scope: str,
    name: str,
    db: SessionDep,
    who: PrincipalDep,
    version: Annotated[str | None, Query(max_length=128, pattern=NO_CONTROLS)] = None,
) -> dict[str, Any]:
    """The resolved dependency tree of the latest (or the given) version."""
    skill = skills.visible_skill(db, who, skills.full_name(scope, name))
    wanted = version or skill.latest_version
    if wanted is None:
        raise NotFound(f"{skill.name} has no installable version", code="version_not_found")
    row = skills.servable(skills.find_version(db, skill, wanted), skill)
    return skills.dependency_tree(db, who, skill, row)


@router.get("/skills/{scope}/{name}/{version}")
def version_document(
    scope: str, name: str, version: str, db: SessionDep, who: PrincipalDep
) -> JSONResponse:
    """Everything about one version; an unpublished one answers 410."""
    skill = skills.visible_skill(db, who, skills.full_name(scope, name))
    row = skills.find_version(db, skill, version)
    if row.deleted_at is not None:
        skills.servable(row, skill)  # raises Gone
    return JSONResponse(skills.version_document(db, skill, row), headers={"Vary": "Authorization"})


@router.get("/skills/{scope}/{name}/{version}/tarball", response_model=None)
async def tarball(
    scope: str,
    name: str,
    version: str,
    reg: RegistryDep,
    db: InlineSessionDep,
    who: InlinePrincipalDep,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The version's tarball, byte for byte as published; immutable, so cached forever."""
    found = hot.tarball(db, who, skills.full_name(scope, name), version)
    filename = f"{found.name.split('/', 1)[1]}-{found.version}.tgz"
    headers = {
        "ETag": f'"{found.integrity}"',
        "Cache-Control": "private" if found.private else IMMUTABLE,
        "Vary": "Authorization",
        "Content-Disposition": f'attachment; filename="{filename}"',
    }
    if etag_matches(if_none_match, headers["ETag"]):
        return Response(status_code=304, headers=headers)
    data = stored_tarball(reg, found.name, found.version, found.blob_key)
    return Response(data, media_type="application/gzip", headers=headers)


@router.get("/skills/{scope}/{name}/{version}/files/{path:path}")
def file_content(
    scope: str, name: str, version: str, path: str, reg: RegistryDep, db: SessionDep,
    who: PrincipalDep,
) -> Response:  # fmt: skip
    """One file of the version, looked up by archive member name (no filesystem path)."""
    skill = skills.visible_skill(db, who, skills.full_name(scope, name))
    row = skills.servable(skills.find_version(db, skill, version), skill)
    members = read_archive(stored_tarball(reg, skill.name, row.version, row.blob_key))
    found = next((m for m in members if m.path == path and not m.is_dir), None)
    if found is None:
        raise NotFound(
            f"{skill.name}@{row.version} has no file {path!r}",
            code="file_not_found",
            hint=f"the version document lists its files: GET /v1/skills/{skill.name}/{row.version}",
        )
    headers = {
        **_UNTRUSTED,
        "Cache-Control": "private" if skill.private else IMMUTABLE,
        "Vary": "Authorization",
    }
    try:
        found.data.decode("utf-8")
        media = "text/plain; charset=utf-8"
    except UnicodeDecodeError:
        media = "application/octet-stream"
    return Response(found.data, media_type=media, headers=headers)
