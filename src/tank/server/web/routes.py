"""The read-only pages: home, search, a skill (at a version), its files, and version diffs.

URLs mirror the API's with the scope's '@' kept: ``/skills/@acme/pdf``,
``/skills/@acme/pdf/v/1.2.0``, ``/skills/@acme/pdf/files/scripts/run.py?version=1.2.0``,
``/skills/@acme/pdf/diff?from=1.0.0&to=1.2.0``. Every handler is thin: parse the query, call
the services (through :mod:`tank.server.web.views`), render a template.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from tank.core.errors import ValidationError
from tank.server.api.deps import RegistryDep, SessionDep
from tank.server.api.schemas import NO_CONTROLS
from tank.server.errors import NotFound
from tank.server.services import overview, skills, status
from tank.server.services import search as svc
from tank.server.services.search import Capability, SearchQuery, Verdict
from tank.server.web.pages import PageRoute, Viewer, page
from tank.server.web.render import code_css
from tank.server.web.sessions import SessionViewer, page_csrf
from tank.server.web.views import diff_view, file_view, skill_view

router = APIRouter(route_class=PageRoute, include_in_schema=False)
assets = APIRouter(include_in_schema=False)

ViewerDep = SessionViewer
#: Results per search page, and the last page one may ask for (as ``GET /v1/search``).
PER_PAGE = 20
MAX_PAGE = 1000
_TEXT = Query(max_length=256)


def _name(scope: str, name: str) -> str:
    if not scope.startswith("@"):
        raise NotFound(
            f"no page /skills/{scope}/{name}", hint="skill pages are /skills/@scope/name"
        )
    return skills.full_name(scope, name)


def _signed(db: SessionDep, who: Viewer, hits: list[svc.SearchHit]) -> set[str]:
    """Which of ``hits`` carry a verified publisher signature (one batch status query)."""
    found = status.statuses(db, who, [f"{h.name}@{h.version}" for h in hits])
    return {key for key, info in found.items() if info and info.get("signer")}


@router.get("/", response_class=HTMLResponse)
def home(db: SessionDep, who: ViewerDep) -> HTMLResponse:
    """Search box, the newest and the best-scored skills, and the registry's numbers."""
    recent = list(svc.search(db, who, SearchQuery(per_page=8)).hits)
    best = overview.top_scored(db, who, limit=8)
    return page(
        "home.html",
        who=who,
        title="Tank registry",
        numbers=overview.numbers(db),
        good_score=overview.GOOD_SCORE,
        recent=recent,
        best=best,
        signed=_signed(db, who, [*recent, *best]),
    )


def _float(text: str, label: str) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 10:
        raise ValidationError(f"{label} must be a number from 0 to 10", code="bad_filter")
    return value


@router.get("/search", response_class=HTMLResponse)
def search(
    db: SessionDep,
    who: ViewerDep,
    q: Annotated[str, _TEXT] = "",
    page_number: Annotated[int, Query(alias="page", ge=1, le=MAX_PAGE)] = 1,
    min_score: Annotated[str, Query(max_length=8)] = "",
    verdict: Annotated[str, Query(max_length=32)] = "",
    keyword: Annotated[str, Query(max_length=64, pattern=NO_CONTROLS)] = "",
    scope: Annotated[str, Query(max_length=65, pattern=NO_CONTROLS)] = "",
    network: Annotated[bool, Query()] = False,
    subprocess: Annotated[bool, Query()] = False,
) -> HTMLResponse:
    """Ranked results with filters and pages: the search of ``GET /v1/search``."""
    try:
        wanted_verdict = Verdict(verdict) if verdict else None
    except ValueError:
        raise ValidationError(f"unknown verdict {verdict!r}", code="bad_filter") from None
    capabilities = frozenset(
        c for c, on in ((Capability.NETWORK, network), (Capability.SUBPROCESS, subprocess)) if on
    )
    query = SearchQuery(
        text=q,
        page=page_number,
        per_page=PER_PAGE,
        scope=scope.strip().lstrip("@").lower() or None,
        keyword=keyword.strip().lower() or None,
        min_score=_float(min_score, "the minimum score"),
        verdict=wanted_verdict,
        capabilities=capabilities,
    )
    found = svc.search(db, who, query)
    hits = list(found.hits)
    filters: dict[str, str | bool] = {
        "min_score": min_score,
        "verdict": verdict,
        "keyword": keyword,
        "scope": scope,
        "network": network,
        "subprocess": subprocess,
    }

    def page_query(number: int) -> str:
        """The query string of result page ``number`` with the same words and filters."""
        kept = {k: "true" if v is True else v for k, v in filters.items() if v}
        return urlencode({"q": q, **kept, "page": number})

    return page(
        "search.html",
        who=who,
        title=f"Search: {q}" if q else "Browse skills",
        q=q,
        filters=filters,
        page_query=page_query,
        verdicts=[v.value for v in Verdict],
        hits=hits,
        signed=_signed(db, who, hits),
        total=found.total,
        page_number=found.page,
        pages=max(1, -(-found.total // found.per_page)),
    )


@router.get("/skills/{scope}/{name}", response_class=HTMLResponse)
def skill(
    scope: str, name: str, request: Request, reg: RegistryDep, db: SessionDep, who: ViewerDep
) -> HTMLResponse:
    """A skill at its latest version."""
    view = skill_view(db, reg, who, _name(scope, name))
    csrf = page_csrf(request)
    return page("skill.html", title=view.skill.name, view=view, who=who, csrf=csrf)


@router.get("/skills/{scope}/{name}/v/{version}", response_class=HTMLResponse)
def skill_version(
    scope: str,
    name: str,
    version: str,
    request: Request,
    reg: RegistryDep,
    db: SessionDep,
    who: ViewerDep,
) -> HTMLResponse:
    """A skill at one version."""
    view = skill_view(db, reg, who, _name(scope, name), version)
    title = f"{view.skill.name}@{view.version['version']}"
    return page("skill.html", title=title, view=view, who=who, csrf=page_csrf(request))


@router.get("/skills/{scope}/{name}/files", response_class=HTMLResponse)
@router.get("/skills/{scope}/{name}/files/{path:path}", response_class=HTMLResponse)
def files(
    scope: str,
    name: str,
    reg: RegistryDep,
    db: SessionDep,
    who: ViewerDep,
    path: str = "",
    version: Annotated[str, Query(max_length=128)] = "",
) -> HTMLResponse:
    """The file browser: a version's files, and one of them highlighted."""
    found, row, paths, source = file_view(db, reg, who, _name(scope, name), version or None, path)
    return page(
        "files.html",
        who=who,
        title=f"{path or 'Files'} · {found.name}@{row.version}",
        skill=found,
        version=row.version,
        paths=paths,
        path=path,
        source=source,
    )


@router.get("/skills/{scope}/{name}/diff", response_class=HTMLResponse)
def version_diff(
    scope: str,
    name: str,
    reg: RegistryDep,
    db: SessionDep,
    who: ViewerDep,
    from_: Annotated[str, Query(alias="from", max_length=128)] = "",
    to: Annotated[str, Query(max_length=128)] = "",
) -> HTMLResponse:
    """What changed between two versions (default: the latest and the one before it)."""
    found, doc, versions = diff_view(db, reg, who, _name(scope, name), from_, to)
    return page(
        "diff.html",
        who=who,
        title=f"{found.name}: {doc['from']} → {doc['to']}",
        skill=found,
        diff=doc,
        versions=versions,
    )


@assets.get("/assets/code.css")
def code_stylesheet() -> Response:
    """The stylesheet of highlighted source, made by Pygments (no build step)."""
    return Response(
        code_css(), media_type="text/css", headers={"Cache-Control": "public, max-age=3600"}
    )
