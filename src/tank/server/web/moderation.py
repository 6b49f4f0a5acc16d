"""Report a skill (signed-in users) and the moderation queue with quarantine (administrators).

Thin handlers over :mod:`tank.server.services.moderation`, the service ``POST
/v1/skills/{name}/report`` uses. Every POST checks the form's CSRF token first and counts
against the write rate limit of the session's token and the client's address.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tank.server.api.deps import RegistryDep, SessionDep, client_ip
from tank.server.api.ratelimit import report_limits
from tank.server.api.schemas import NO_CONTROLS, NO_NUL
from tank.server.db.engine import write_session
from tank.server.services import moderation, skills
from tank.server.web.pages import PageRoute, page
from tank.server.web.sessions import SessionViewer, form_writer, page_csrf

router = APIRouter(route_class=PageRoute, include_in_schema=False)

Csrf = Annotated[str, Form(max_length=64)]
Version = Annotated[str, Form(max_length=128, pattern=NO_CONTROLS)]
Reason = Annotated[str, Form(max_length=moderation.MAX_REASON, pattern=NO_NUL)]
SkillName = Annotated[str, Form(max_length=140, pattern=NO_CONTROLS)]


@router.post("/skills/{scope}/{name}/report", response_class=HTMLResponse)
def report(
    scope: str,
    name: str,
    request: Request,
    reg: RegistryDep,
    who: SessionViewer,
    csrf: Csrf,
    reason: Reason,
    version: Version = "",
) -> Response:
    """Send a report to the moderators, then say so."""
    user = form_writer(request, reg, who, csrf)
    report_limits(request, reg, user)
    with write_session(reg.sessions) as session:
        done = moderation.report(
            session,
            user,
            skills.full_name(scope, name),
            version or None,
            reason,
            ip=client_ip(request),
        )
    return page("reported.html", 201, title="Report sent", who=user, name=done["name"], done=done)


@router.get("/moderation", response_class=HTMLResponse)
def queue(request: Request, db: SessionDep, who: SessionViewer) -> Response:
    """The newest reports and each version's state, with quarantine buttons."""
    if who is None:
        return RedirectResponse("/signin", status_code=303)
    reports = moderation.queue(db, who)
    return page(
        "moderation.html", title="Moderation", who=who, reports=reports, csrf=page_csrf(request)
    )


@router.post("/moderation/quarantine", response_class=HTMLResponse)
def quarantine(
    request: Request,
    reg: RegistryDep,
    who: SessionViewer,
    csrf: Csrf,
    name: SkillName,
    version: Version,
    reason: Reason,
) -> Response:
    """Quarantine a version (administrators): ``tank install`` refuses it from now on."""
    admin = form_writer(request, reg, who, csrf)
    with write_session(reg.sessions) as session:
        moderation.quarantine(
            session, reg.settings, admin, name, version, reason, ip=client_ip(request)
        )
    return RedirectResponse("/moderation", status_code=303)


@router.post("/moderation/unquarantine", response_class=HTMLResponse)
def unquarantine(
    request: Request,
    reg: RegistryDep,
    who: SessionViewer,
    csrf: Csrf,
    name: SkillName,
    version: Version,
) -> Response:
    """Give a version an administrator quarantined its verdict back (administrators)."""
    admin = form_writer(request, reg, who, csrf)
    with write_session(reg.sessions) as session:
        moderation.unquarantine(session, reg.settings, admin, name, version, ip=client_ip(request))
    return RedirectResponse("/moderation", status_code=303)
