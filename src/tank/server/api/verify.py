"""``POST /v1/verify``: verify many ``{name, version, integrity}`` items in one request.

For CI jobs and the web UI checking a lockfile against the registry. A read, though a POST
(the list does not fit a URL): anonymous callers are welcome, a token widens what is visible,
it is not counted by the write rate limit, and the answer is never cached. The body is
bounded twice: at most :data:`~tank.server.services.verify.MAX_ITEMS` items (422
``too_many_items``), and the registry's JSON body limit (413).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from tank.server.api.deps import PrincipalDep, SessionDep
from tank.server.api.schemas import Line, error_responses
from tank.server.services import verify

router = APIRouter(tags=["skills"], responses=error_responses(400, 401, 413, 422))


class VerifyItem(BaseModel):
    """One version to verify and the integrity the caller holds for it."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[Line, Field(min_length=1, max_length=214, examples=["@acme/pdf-tools"])]
    version: Annotated[Line, Field(min_length=1, max_length=128, examples=["1.4.0"])]
    integrity: Annotated[
        Line, Field(min_length=1, max_length=200, description="sha512-<base64>, as skills.lock")
    ]


class VerifyBody(BaseModel):
    """The items to verify (at most 1000)."""

    model_config = ConfigDict(extra="forbid")

    items: list[VerifyItem]


class SignatureInfo(BaseModel):
    """A publisher signature the registry verified (null while none is stored)."""

    verified: bool
    kind: str | None = Field(default=None, description="ed25519 or sigstore")
    fingerprint: str | None = Field(default=None, description="the signing key's fingerprint")
    identity: str | None = Field(default=None, description="a Sigstore identity, if any")


class AttestationInfo(BaseModel):
    """The version's latest registry attestation (null for a version with none); the
    envelopes are at ``GET /v1/skills/@scope/name/VERSION/attestations``."""

    digest: str = Field(description="the DSSE envelope's digest, as the log records it")
    key: str = Field(description="keyid of the registry key that signed it")
    reason: str = Field(description="publish, rescan, backfill or admin (a quarantine)")
    log_index: int | None = Field(description="the version's transparency-log index")


class VerifyResult(BaseModel):
    """The registry's answer for one item, in the order asked."""

    name: str
    version: str = Field(description="as stored (build metadata removed)")
    integrity: str = Field(description="as asked")
    known: bool = Field(description="false: unknown here, or private and not yours")
    integrity_match: bool | None = Field(description="the registry computed this integrity")
    verdict: str | None = Field(description="pass, pass_with_notes, flagged or fail")
    audit_score: float | None
    quarantined: bool | None = Field(description="its scan failed: never served")
    yanked: bool | None
    deleted: bool | None = Field(description="unpublished (the number stays taken)")
    signature: SignatureInfo | None
    attestation: AttestationInfo | None
    ok: bool = Field(description="known, integrity matches, not quarantined, not unpublished")


class VerifyAnswer(BaseModel):
    """One result per item."""

    results: list[VerifyResult]


@router.post("/verify", response_model=VerifyAnswer)
def verify_versions(body: VerifyBody, db: SessionDep, who: PrincipalDep) -> Any:
    """Verify each ``{name, version, integrity}``: known, integrity match, verdict,
    quarantined, yanked, unpublished, and the stored signature and attestation."""
    items = [verify.Item(i.name, i.version, i.integrity) for i in body.items]
    results = verify.verify_items(db, who, items)
    return JSONResponse(
        {"results": results}, headers={"Cache-Control": "no-store", "Vary": "Authorization"}
    )
