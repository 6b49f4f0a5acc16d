"""The registry's web UI: server-rendered pages over the same services as the API.

:func:`install_web` is called once by :func:`tank.server.app.create_app`: it mounts the page
routes at ``/``, the static files at ``/static``, and the security headers middleware.
Templates and static files are package data, so a wheel or an editable install serves them.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from tank.server.web import account, moderation
from tank.server.web.routes import assets, router
from tank.server.web.security import SecurityHeaders

__all__ = ["STATIC", "install_web"]

STATIC = Path(__file__).parent / "static"


def install_web(app: FastAPI) -> None:
    """Mount the pages, their assets and the security headers on ``app``."""
    app.include_router(router)
    app.include_router(account.router)
    app.include_router(moderation.router)
    app.include_router(assets)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(SecurityHeaders)
