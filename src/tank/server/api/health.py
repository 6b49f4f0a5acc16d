"""``GET /v1/health``: is the process up and the database reachable."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from tank import __version__
from tank.server.api.deps import InlineSessionDep

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(db: InlineSessionDep) -> dict[str, object]:
    """Liveness and database reachability."""
    db.execute(text("SELECT 1"))
    return {"status": "ok", "version": __version__, "database": db.get_bind().dialect.name}
