"""The page machinery: the Jinja2 environment, HTML responses, and HTML error pages.

Templates are package data (``tank/server/web/templates``), autoescaped everywhere: the only
markup a template prints unescaped is what :mod:`tank.server.web.render` produced (sanitized
Markdown, Pygments output over escaped text), each marked ``|safe`` at one visible place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from functools import lru_cache
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from tank import __version__
from tank.core.errors import TankError
from tank.server.errors import status_of
from tank.server.services.auth import Principal
from tank.server.web.security import PAGE_HEADERS

__all__ = [
    "PageRoute", "Viewer", "error_page", "is_page_path", "page", "status_page", "templates",
]  # fmt: skip

log = logging.getLogger("tank.server.web")

#: Who is looking at a page: the signed-in user (:mod:`tank.server.web.sessions`) or None.
Viewer = Principal | None


def _score_class(score: object) -> str:
    """``good`` (7 and up), ``fair`` (4 to 7) or ``poor``, or ``none`` when unscored."""
    if not isinstance(score, int | float):
        return "none"
    return "good" if score >= 7 else "fair" if score >= 4 else "poor"


def _score_text(score: object) -> str:
    return f"{score:.1f}" if isinstance(score, int | float) else "–"


@lru_cache(maxsize=1)
def templates() -> Environment:
    """The one template environment (autoescape on for every template, strict undefined)."""
    env = Environment(
        loader=PackageLoader("tank.server.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["tank_version"] = __version__
    env.filters["score_class"] = _score_class
    env.filters["score_text"] = _score_text
    env.filters["date"] = lambda text: str(text or "")[:10]
    return env


def page(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render ``template`` as an HTML response. It carries the security headers itself (the
    middleware adds them too): a page answered from outside the middleware, such as the 500
    of an unexpected error, must not go out without them."""
    context.setdefault("who", None)
    html = templates().get_template(template).render(**context)
    headers = dict(PAGE_HEADERS)
    if context["who"] is not None:
        # A signed-in page may show private skills and tokens: no shared cache keeps it.
        headers["Cache-Control"] = "no-store"
    return HTMLResponse(html, status_code=status_code, headers=headers)


def error_page(error: TankError) -> HTMLResponse:
    """The HTML answer to a refused page: the same status, message and hint as the API's."""
    return status_page(status_of(error), error.message, error.hint)


def status_page(status: int, message: str, hint: str | None = None) -> HTMLResponse:
    """An HTML error page with ``status``."""
    return page("error.html", status, code=status, message=message, hint=hint, title="Error")


def is_page_path(path: str) -> bool:
    """Whether ``path`` belongs to the web UI rather than to the API (whose errors are JSON)."""
    return not path.startswith(("/v1/", "/api/v1/")) and path not in ("/v1", "/api/v1")


class PageRoute(APIRoute):
    """A route answering HTML: a :class:`TankError` becomes an HTML error page with the
    status the API would give it, instead of the API's JSON error body."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The route's handler, wrapped to render Tank errors as pages."""
        handler = super().get_route_handler()

        async def render_errors(request: Request) -> Response:
            try:
                return await handler(request)
            except TankError as error:
                return error_page(error)
            except RequestValidationError as error:
                first: dict[str, Any] = next(iter(error.errors()), {})
                where = ".".join(str(p) for p in first.get("loc", ())[1:]) or "the address"
                return status_page(422, f"{where}: {first.get('msg', 'invalid')}")

        return render_errors
