"""``GET /v1/skills/{scope}/{name}/{version}/sbom``: the version's CycloneDX 1.6 SBOM.

Same access rules as the tarball: a private skill is 404 to outsiders, an unpublished version
410, a version whose scan failed 451. The SBOM of a version never changes, so it carries a
strong ETag and is cacheable forever (privately for a private skill).
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from tank.server.api.deps import PrincipalDep, RegistryDep, SessionDep
from tank.server.api.schemas import error_responses
from tank.server.api.skills_read import IMMUTABLE, IfNoneMatch, etag_matches
from tank.server.services import sbom, skills

router = APIRouter(tags=["skills"], responses=error_responses(401, 404, 410, 422, 451))

MEDIA_TYPE = "application/vnd.cyclonedx+json"


@router.get(
    "/skills/{scope}/{name}/{version}/sbom",
    response_class=Response,
    responses={200: {"content": {MEDIA_TYPE: {"schema": {"type": "object"}}}}},
)
def version_sbom(
    scope: str,
    name: str,
    version: str,
    reg: RegistryDep,
    db: SessionDep,
    who: PrincipalDep,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The CycloneDX 1.6 JSON SBOM of one version: files and hashes, skill dependencies,
    Python/npm packages, declared permissions; byte-identical on every request."""
    found = sbom.target(db, who, skills.full_name(scope, name), version)
    headers = {
        "ETag": found.etag,
        "Cache-Control": "private" if found.private else IMMUTABLE,
        "Vary": "Authorization",
    }
    if etag_matches(if_none_match, found.etag):
        return Response(status_code=304, headers=headers)
    return Response(sbom.render(reg, found), media_type=MEDIA_TYPE, headers=headers)
