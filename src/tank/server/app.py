"""The one place the registry application is assembled.

Routers are mounted under ``/v1`` and again under ``/api/v1`` (the alias is left out of the
OpenAPI document, which is served at ``/v1/openapi.json``); the web UI's pages
(:mod:`tank.server.web`) are mounted at ``/``. Every API error, whatever raised it, answers
the same JSON shape (a page answers an HTML page with the same status); an unexpected
exception is logged and answers a 500 with no traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from tank import __version__
from tank.core.errors import TankError
from tank.server.api import (
    audit,
    diff,
    health,
    keys,
    manage,
    marketplace,
    orgs,
    publish,
    sbom,
    search,
    skills_read,
    status,
    tokens,
    translog,
    trusted,
    verify,
)
from tank.server.api.boundary import install_boundary
from tank.server.api.limits import install_limits
from tank.server.api.schemas import error_responses
from tank.server.context import Registry
from tank.server.errors import RetryLater, error_body, status_of
from tank.server.faults import fault_of
from tank.server.services.times import TIMESTAMP_DESCRIPTION
from tank.server.settings import Settings
from tank.server.web import install_web
from tank.server.web.pages import is_page_path, status_page

log = logging.getLogger("tank.server")

#: Every router (paths relative to /v1), in mounting order. Plain imports on purpose: a route
#: module missing from the package must stop the registry at start-up, not vanish from the API.
ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    audit.router,  # before skills_read: ".../audit" is not a version
    translog.router,
    trusted.router,  # before skills_read: ".../provenance" is not a file
    skills_read.router,
    sbom.router,
    publish.router,
    manage.router,
    tokens.router,
    keys.router,
    orgs.router,
    search.router,
    diff.router,
    status.router,
    verify.router,
    marketplace.router,
)


def create_app(settings: Settings, registry: Registry | None = None) -> FastAPI:
    """Build the ASGI application for ``settings`` (connecting to its database and storage)."""
    app = FastAPI(
        title="Tank registry",
        version=__version__,
        description=(
            "Security-first registry for AI agent skills.\n\n"
            f"Every timestamp in every answer is an {TIMESTAMP_DESCRIPTION}, "
            "e.g. `2025-01-31T09:30:00Z`."
        ),
        openapi_url="/v1/openapi.json",
        docs_url="/v1/docs",
        redoc_url=None,
        # Any route may meet a full disk or a held lock: a fault of the machine, not a bug.
        responses=error_responses(503, 507),
    )
    app.state.registry = registry or Registry.from_settings(settings)
    for router in ROUTERS:
        app.include_router(router, prefix="/v1")
    for router in ROUTERS:
        app.include_router(router, prefix="/api/v1", include_in_schema=False)
    install_web(app)  # the HTML pages at /, after the API so /v1/... never reaches a page
    _install_error_handlers(app)
    install_limits(app, settings)
    install_boundary(app)
    return app


def _json_error(
    status: int, body: Mapping[str, object], headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=headers)


def _bad_json(item: Mapping[str, Any]) -> dict[str, object]:
    """The 400 for a body that is not JSON at all (well-formed but wrong JSON is a 422)."""
    loc = item.get("loc", ())
    where = f" at character {loc[1]}" if len(loc) > 1 else ""
    reason = (item.get("ctx") or {}).get("error") or item.get("msg", "")
    return {
        "error": {
            "code": "bad_json",
            "message": "the request body is not valid JSON",
            "detail": f"{reason}{where}",
            "hint": "send a JSON document (Content-Type: application/json)",
        }
    }


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(TankError)
    async def tank_error(_request: Request, error: TankError) -> JSONResponse:
        headers = {"Retry-After": str(error.retry_after)} if isinstance(error, RetryLater) else None
        if status_of(error) == 401:
            headers = {"WWW-Authenticate": "Bearer"}
        return _json_error(status_of(error), error_body(error), headers)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        malformed = next((i for i in error.errors() if i.get("type") == "json_invalid"), None)
        if malformed is not None:
            return _json_error(400, _bad_json(malformed))
        problems = [
            {
                "code": "request." + str(item.get("type", "invalid")),
                "message": str(item.get("msg", "")),
                "location": ".".join(str(p) for p in item.get("loc", ())),
            }
            for item in error.errors()
        ]
        body = {
            "error": {
                "code": "bad_request",
                "message": "the request does not match the API",
                "detail": "; ".join(f"{p['location']}: {p['message']}" for p in problems),
                "hint": "see /v1/openapi.json for the expected shape",
                "problems": problems,
            }
        }
        return _json_error(422, body)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if is_page_path(request.url.path):  # a browser's unknown address: an HTML page
            return status_page(error.status_code, str(error.detail))
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        body = {
            "error": {
                "code": code,
                "message": str(error.detail),
                "detail": None,
                "hint": "see /v1/openapi.json for the routes" if error.status_code == 404 else None,
            }
        }
        return _json_error(error.status_code, body, dict(error.headers or {}))

    @app.exception_handler(DBAPIError)
    @app.exception_handler(OSError)
    @app.exception_handler(Exception)
    async def crash(request: Request, error: Exception) -> Response:
        # A full disk or a lock held too long is the machine's fault, not a bug: 503/507.
        fault = fault_of(error, database_path=request.app.state.registry.database_path)
        if fault is not None:
            return await tank_error(request, fault)
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        if is_page_path(request.url.path):
            return status_page(500, "internal server error", "the server log has the details")
        body = {
            "error": {
                "code": "internal",
                "message": "internal server error",
                "detail": None,
                "hint": "this is a bug in the registry; the server log has the details",
            }
        }
        return _json_error(500, body)
