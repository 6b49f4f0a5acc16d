"""ASGI entry for uvicorn workers: settings come from the environment (``TANK_REGISTRY_*``)."""

from __future__ import annotations

from fastapi import FastAPI

from tank.server.app import create_app
from tank.server.settings import load_settings


def app_factory() -> FastAPI:
    """Build the app in a worker process (uvicorn ``--factory``)."""
    return create_app(load_settings())
