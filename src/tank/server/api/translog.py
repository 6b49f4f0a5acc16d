"""The registry's keys, its attestations and its transparency log.

- ``GET /v1/registry/keys``: every registry signing key, oldest first, each after the first
  endorsed by the one before it;
- ``GET /v1/skills/{scope}/{name}/{version}/attestations``: the registry's signed
  attestations of a version;
- ``GET /v1/log/head``: the latest signed tree head;
- ``GET /v1/log/inclusion``: an entry and its inclusion proof, by leaf index or name@version;
- ``GET /v1/log/consistency``: a consistency proof between two sizes;
- ``POST /v1/log/proofs``: what an install needs in one request (a read, like
  ``POST /v1/status``: the list does not fit a URL).

Heads and proofs change with every publish: never cached.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from tank.server.api.deps import PrincipalDep, RegistryDep, SessionDep
from tank.server.api.schemas import Line, error_responses
from tank.server.db.engine import write_session
from tank.server.services import attestations, registry_keys, skills, translog

router = APIRouter(tags=["transparency"], responses=error_responses(400, 401, 404, 422))

NO_STORE = {"Cache-Control": "no-store"}
#: Leaf indexes and tree sizes fit a signed 64-bit column; larger ones are a 422, not a 500.
MAX_SIZE = 2**62


def _answer(body: object, *, private: bool = False) -> JSONResponse:
    headers = {**NO_STORE, "Vary": "Authorization"} if private else NO_STORE
    return JSONResponse(body, headers=headers)


@router.get("/registry/keys")
def registry_keys_route(db: SessionDep) -> JSONResponse:
    """``{"keys": [{keyid, key, active, created_at, retired_at, endorsement}]}``, oldest
    first; every key after the first carries an endorsement signed by its predecessor."""
    return _answer({"keys": registry_keys.served_keys(db)})


@router.get("/skills/{scope}/{name}/{version}/attestations")
def version_attestations(
    scope: str, name: str, version: str, db: SessionDep, who: PrincipalDep
) -> JSONResponse:
    """The registry's attestations of one version, oldest first: DSSE envelopes over in-toto
    Statements (predicate ``https://tank.dev/attestation/registry-check/v1``)."""
    body = attestations.listing(db, who, skills.full_name(scope, name), version)
    return _answer(body, private=True)


@router.get("/log/head")
def log_head(reg: RegistryDep, db: SessionDep) -> JSONResponse:
    """The latest signed tree head: ``{size, root_hash, timestamp, keyid, envelope}``."""
    head = translog.latest_head(db)
    if head is None:  # a new registry: sign the empty log's head once
        with write_session(reg.sessions) as session:
            head = translog.latest_head(session) or translog.sign_current_head(
                session, reg.settings
            )
    return _answer(translog.head_document(head))


@router.get("/log/inclusion")
def log_inclusion(
    db: SessionDep,
    who: PrincipalDep,
    index: Annotated[int | None, Query(ge=0, le=MAX_SIZE)] = None,
    name: Annotated[Line | None, Query(max_length=200)] = None,
    version: Annotated[Line | None, Query(max_length=128)] = None,
    tree_size: Annotated[int | None, Query(ge=0, le=MAX_SIZE)] = None,
) -> JSONResponse:
    """An entry (by ``index``, or by ``name`` and ``version``) and its inclusion proof in the
    tree of ``tree_size`` leaves (default: the latest head, included in the answer)."""
    body = translog.inclusion(db, who, index=index, name=name, version=version, tree_size=tree_size)
    return _answer(body, private=True)


@router.get("/log/consistency")
def log_consistency(
    db: SessionDep,
    first: Annotated[int, Query(ge=0, le=MAX_SIZE)],
    second: Annotated[int | None, Query(ge=0, le=MAX_SIZE)] = None,
) -> JSONResponse:
    """The consistency proof from size ``first`` to ``second`` (default: the latest head)."""
    return _answer(translog.consistency(db, first, second))


class ProofsBody(BaseModel):
    """The versions an install locks (``@scope/name@version``, at most 1000) and the size of
    the last tree head the client saw (null on first use)."""

    model_config = ConfigDict(extra="forbid")

    versions: Annotated[
        list[Annotated[Line, Field(min_length=1, max_length=300)]], Field(max_length=1000)
    ]
    first: Annotated[int | None, Field(ge=0, le=MAX_SIZE)] = None


@router.post("/log/proofs")
def log_proofs(body: ProofsBody, db: SessionDep, who: PrincipalDep) -> JSONResponse:
    """``{head, consistency: {first, proof} | null, entries: {key: {index, entry, proof,
    attestation, latest_attestation} | null}, keys}``: an entry is null when the version is
    not in the log (or not visible); ``attestation`` is the envelope of the registry
    attestation the entry names, ``latest_attestation`` a newer one (a rescan) or null."""
    return _answer(translog.proofs(db, who, body.versions, body.first), private=True)
