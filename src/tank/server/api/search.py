"""``GET /v1/search`` (ranked full-text search) and ``GET /v1/tags`` (keyword counts).

Query text is bounded here (:data:`MAX_QUERY_CHARS`, else 422) and then only ever reaches the
database as sanitised, quoted words in bound parameters (see
:mod:`tank.server.services.search`). An empty query, or one with no letters or digits, lists
skills newest first, so the same endpoint serves "browse". Private skills appear only for
callers who may read them; everyone else cannot tell they exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from tank.server.api.deps import PrincipalDep, SessionDep
from tank.server.api.ratelimit import limit_search
from tank.server.api.schemas import NO_CONTROLS, error_responses
from tank.server.services import search as svc
from tank.server.services.search import Capability, SearchQuery, Verdict
from tank.server.services.times import TIMESTAMP_DESCRIPTION

router = APIRouter(tags=["search"])

MAX_QUERY_CHARS = 256
MAX_PAGE = 1000
# Keywords and tag prefixes are free text but never control characters (PostgreSQL refuses
# NUL in text values, and no honest keyword holds one).
_SCOPE = r"^@?[a-z0-9][a-z0-9-]{0,63}$"


class SearchResult(BaseModel):
    """A skill found by search, described by its latest visible version."""

    name: str = Field(examples=["@acme/pdf-tools"])
    version: str = Field(description="the latest visible version", examples=["1.4.0"])
    description: str
    keywords: list[str]
    audit_score: float | None = Field(description="0-10, null when not scored")
    verdict: str = Field(examples=["pass"])
    private: bool
    published_at: datetime = Field(description=TIMESTAMP_DESCRIPTION)
    score: float = Field(description="relevance, higher is better (0 when browsing)")


class SearchResults(BaseModel):
    """A page of search results."""

    query: str
    results: list[SearchResult]
    total: int = Field(description="matches over all pages")
    page: int
    per_page: int
    pages: int


class Tag(BaseModel):
    """A keyword and how many public skills carry it."""

    name: str
    count: int


class TagList(BaseModel):
    """Keywords across public skills, most used first."""

    tags: list[Tag]


@router.get(
    "/search",
    response_model=SearchResults,
    dependencies=[Depends(limit_search)],
    responses=error_responses(401, 422, 429),
)
def search(
    db: SessionDep,
    who: PrincipalDep,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="words to find")] = "",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
    scope: Annotated[str | None, Query(pattern=_SCOPE, description="e.g. @acme")] = None,
    keyword: Annotated[str | None, Query(min_length=1, max_length=64, pattern=NO_CONTROLS)] = None,
    min_score: Annotated[float | None, Query(ge=0, le=10, allow_inf_nan=False)] = None,
    verdict: Verdict | None = None,
    network: Annotated[
        bool, Query(description="only skills whose latest version declares network access")
    ] = False,
    subprocess: Annotated[
        bool, Query(description="only skills whose latest version may run subprocesses")
    ] = False,
) -> SearchResults:
    """Ranked full-text search over name, description, keywords and SKILL.md body.

    The last word matches as a prefix (``pdf-to`` finds ``pdf-tools``). Without words the
    results are the newest skills first.
    """
    wanted = ((Capability.NETWORK, network), (Capability.SUBPROCESS, subprocess))
    query = SearchQuery(
        text=q,
        page=page,
        per_page=per_page,
        scope=scope.lstrip("@") if scope else None,
        keyword=keyword.strip().lower() if keyword else None,
        min_score=min_score,
        verdict=verdict,
        capabilities=frozenset(capability for capability, on in wanted if on),
    )
    found = svc.search(db, who, query)
    return SearchResults(
        query=q,
        results=[
            SearchResult(
                name=hit.name,
                version=hit.version,
                description=hit.description,
                keywords=list(hit.keywords),
                audit_score=hit.audit_score,
                verdict=hit.verdict,
                private=hit.private,
                published_at=hit.published_at,
                score=hit.score,
            )
            for hit in found.hits
        ],
        total=found.total,
        page=found.page,
        per_page=found.per_page,
        pages=-(-found.total // found.per_page),
    )


@router.get(
    "/tags",
    response_model=TagList,
    dependencies=[Depends(limit_search)],
    responses=error_responses(422, 429),
)
def tags(
    db: SessionDep,
    prefix: Annotated[str | None, Query(max_length=64, pattern=NO_CONTROLS)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> TagList:
    """Keywords across public skills with their counts (by count, then name)."""
    found = svc.list_tags(db, prefix.strip() if prefix else None, limit)
    return TagList(tags=[Tag(name=t.name, count=t.count) for t in found])
