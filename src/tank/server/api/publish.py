"""``POST /v1/skills``: publish a skill version (multipart, file field ``tarball``).

The body is read with a running byte count, so an oversized upload is refused while it
streams in (413), not after it has been spooled somewhere.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.params import Depends as DependsParam
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from tank.server.api.deps import AuthDep, RegistryDep, SessionDep, client_ip
from tank.server.api.ratelimit import limit_writes
from tank.server.api.schemas import error_responses
from tank.server.errors import ApiError, Forbidden, TooLarge
from tank.server.services.auth import Principal
from tank.server.services.pipeline import Upload
from tank.server.services.publish import publish

#: Room for the multipart framing and the small text fields next to the tarball.
FORM_OVERHEAD = 256 * 1024
_TEXT_FIELD_MAX = 64 * 1024


#: Dependencies every write route carries (publish, manage, reviews): the write rate limit.
WRITE_LIMITS: list[DependsParam] = [Depends(limit_writes)]

router = APIRouter(
    tags=["publish"], responses=error_responses(400, 401, 403, 409, 413, 415, 422, 429)
)


def require_publish(who: AuthDep) -> Principal:
    """The caller, holding a token that may publish (checked before the body is read): the
    ``publish`` scope, or a trusted publisher's short-lived token."""
    if not who.may_publish_versions():
        raise Forbidden(
            "this token cannot publish",
            code="token_scope",
            hint="create a token with the 'publish' scope",
        )
    return who


def _too_large(limit: int) -> TooLarge:
    return TooLarge(
        f"the upload is larger than {limit} bytes",
        code="upload_too_large",
        hint="skills are small: leave large files out with .tankignore",
    )


async def read_upload(request: Request, reg: RegistryDep) -> Upload:
    """Read the multipart body, enforcing ``max_upload_bytes`` as the bytes arrive."""
    limit = reg.settings.max_upload_bytes
    budget = limit + FORM_OVERHEAD
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > budget:
        raise _too_large(limit)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(
            "publish expects multipart/form-data",
            status=415,
            code="bad_content_type",
            hint="send the tarball as the multipart file field 'tarball'",
        )

    async def counted() -> AsyncGenerator[bytes, None]:
        seen = 0
        async for chunk in request.stream():
            seen += len(chunk)
            if seen > budget:
                raise _too_large(limit)
            yield chunk

    parser = MultiPartParser(
        request.headers, counted(), max_files=2, max_fields=8, max_part_size=_TEXT_FIELD_MAX
    )
    try:
        form = await parser.parse()
    except MultiPartException as error:
        raise ApiError(
            f"the multipart body does not parse ({error.message})",
            code="bad_multipart",
            hint="send multipart/form-data with the file field 'tarball'",
        ) from error
    try:
        tarball = form.get("tarball")
        if not isinstance(tarball, UploadFile):
            raise ApiError(
                "the request has no file field 'tarball'",
                status=422,
                code="missing_tarball",
                hint="attach the .tgz made by `tank pack` as the file field 'tarball'",
            )
        data = await tarball.read(limit + 1)
        if len(data) > limit:
            raise _too_large(limit)
        texts: dict[str, str | None] = {}
        for key in ("signature", "sigstore_bundle", "name", "version", "integrity", "private"):
            value = form.get(key)
            if isinstance(value, UploadFile):
                raw = await value.read(_TEXT_FIELD_MAX + 1)
                if len(raw) > _TEXT_FIELD_MAX:
                    raise _too_large(_TEXT_FIELD_MAX)
                value = raw.decode("utf-8", errors="replace")
            texts[key] = value
    finally:
        await form.close()
    bad = [key for key, value in texts.items() if value is not None and "\x00" in value]
    if bad:  # PostgreSQL cannot store a NUL (the signature is kept as text)
        raise ApiError(
            f"the form field {bad[0]!r} holds a NUL character",
            status=422,
            code="bad_field",
            hint="send the fields as plain text, as `tank publish` does",
        )
    private = texts["private"]
    return Upload(
        data=data,
        signature=texts["signature"],
        sigstore_bundle=texts["sigstore_bundle"],
        claimed_name=texts["name"] or None,
        claimed_version=texts["version"] or None,
        claimed_integrity=texts["integrity"] or None,
        private=None if private is None else private.strip().lower() in {"1", "true", "yes"},
    )


_OPENAPI_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["tarball"],
                    "properties": {
                        "tarball": {"type": "string", "format": "binary"},
                        "signature": {
                            "type": "string",
                            "description": "DSSE envelope by a key registered to the account",
                        },
                        "sigstore_bundle": {
                            "type": "string",
                            "description": "Sigstore bundle (v0.3 JSON) made in CI over the "
                            "tarball, verified against the skill's trusted publishers",
                        },
                        "name": {"type": "string", "description": "claimed; must match"},
                        "version": {"type": "string", "description": "claimed; must match"},
                        "integrity": {"type": "string", "description": "claimed; must match"},
                        "private": {"type": "boolean", "description": "for a new skill"},
                    },
                }
            }
        },
    }
}


@router.post("/skills", status_code=201, dependencies=WRITE_LIMITS, openapi_extra=_OPENAPI_BODY)
def publish_skill(
    request: Request,
    reg: RegistryDep,
    db: SessionDep,
    who: Annotated[Principal, Depends(require_publish)],
    upload: Annotated[Upload, Depends(read_upload)],
) -> dict[str, Any]:
    """Publish a version: validate, analyze, check permissions, score, sign, store."""
    db.close()  # authentication is done: give its connection back before the long work
    return publish(reg, who, upload, ip=client_ip(request))
