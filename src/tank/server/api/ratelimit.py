"""FastAPI dependencies that rate-limit writes and searches.

Routes opt in with ``dependencies=[Depends(limit_writes)]`` or ``Depends(limit_search)``.
Writes are limited per token and per client IP (counters in the database, shared by every
worker); searches per client IP (counters in this process: with N workers the effective
ceiling is up to N times the setting). See :mod:`tank.server.services.ratelimit`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from fastapi import Request

from tank.server.api.deps import PrincipalDep, RegistryDep, client_ip
from tank.server.context import Registry
from tank.server.errors import RateLimited
from tank.server.services.auth import Principal
from tank.server.services.ratelimit import (
    DatabaseRateLimiter,
    Decision,
    MemoryRateLimiter,
)

_CREATE_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class Limiters:
    """The process's limiters, kept on ``app.state`` (built on first use)."""

    writes: DatabaseRateLimiter
    search: MemoryRateLimiter


def limiters(request: Request, reg: Registry) -> Limiters:
    """The limiters of this application, created once per process."""
    state = request.app.state
    found: Limiters | None = getattr(state, "rate_limiters", None)
    if found is None:
        with _CREATE_LOCK:
            found = getattr(state, "rate_limiters", None)
            if found is None:
                found = Limiters(DatabaseRateLimiter(reg.sessions), MemoryRateLimiter())
                state.rate_limiters = found
    return found


def _refuse(decision: Decision, what: str) -> None:
    if decision.allowed:
        return
    per = "this token" if ":token:" in decision.key else "this address"
    raise RateLimited(
        f"too many {what} from {per}; try again in {decision.retry_after} s",
        retry_after=decision.retry_after,
        hint="wait for the Retry-After delay; the registry admin sets the limits",
    )


def limit_writes(request: Request, reg: RegistryDep, who: PrincipalDep) -> None:
    """Count a write against the caller's token and IP; 429 with Retry-After when over."""
    settings = reg.settings
    keys: list[tuple[str, int]] = [
        (f"write:ip:{client_ip(request)}", settings.rate_limit_writes_per_ip)
    ]
    if who is not None:
        keys.insert(0, (f"write:token:{who.token_id}", settings.rate_limit_writes_per_token))
    _refuse(limiters(request, reg).writes.acquire(keys), "writes")


def limit_search(request: Request, reg: RegistryDep) -> None:
    """Count a search against the caller's IP; 429 with Retry-After when over."""
    key = (f"search:ip:{client_ip(request)}", reg.settings.rate_limit_search_per_ip)
    _refuse(limiters(request, reg).search.acquire([key]), "searches")


def report_limits(request: Request, reg: Registry, who: Principal) -> None:
    """Count a report per user (across all their tokens and sessions) and per client IP."""
    limit = reg.settings.rate_limit_reports
    keys = [(f"report:user:{who.user_id}", limit), (f"report:ip:{client_ip(request)}", limit)]
    _refuse(limiters(request, reg).writes.acquire(keys), "reports")


def limit_reports(request: Request, reg: RegistryDep, who: PrincipalDep) -> None:
    """:func:`report_limits` as a dependency (anonymous callers are refused by the route)."""
    if who is not None:
        report_limits(request, reg, who)
