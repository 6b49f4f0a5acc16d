"""Rate limits: a sliding-window counter per key (a token, an IP address), per minute.

The algorithm is the classic "sliding window counter": requests are counted in one-minute
windows, and the rate at any moment is estimated as ``previous * (1 - elapsed) + current``
(``elapsed`` is the fraction of the current minute gone). It smooths the burst a fixed window
allows at its boundary, needs two integers per key, and gives an exact ``Retry-After``.

Two stores, chosen for what they count:

- **Writes** (publish, tokens, org changes) are rare and worth protecting across every worker:
  :class:`DatabaseRateLimiter` keeps the counters in the ``rate_counters`` table, one UPSERT
  per key per request in its own short transaction, so N workers share one ceiling.
- **Search** is frequent and cheap to abuse only in bulk: :class:`MemoryRateLimiter` keeps
  counters in the process. With N workers each process counts on its own, so the effective
  ceiling is up to N times the configured one (documented; put a proxy limit in front if that
  matters).

A refused request is not counted (the UPSERT is undone in the same transaction), so a client
that waits ``Retry-After`` seconds is let through. A limit of 0 disables that key's check.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from tank.server.db.engine import write_session
from tank.server.db.models import RateCounter

WINDOW_SECONDS = 60


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether a request may go ahead; if not, in how many seconds to try again."""

    allowed: bool
    retry_after: int = 0
    key: str = ""


ALLOWED = Decision(True)


def estimate(previous: int, current: int, elapsed: float) -> float:
    """The sliding-window request count: ``current`` plus the share of ``previous`` still
    inside the last minute (``elapsed`` is the fraction of the current window gone, 0..1)."""
    return previous * (1.0 - elapsed) + current


def decide(previous: int, current: int, elapsed: float, limit: int, key: str = "") -> Decision:
    """Allow a request that makes the count ``current`` (itself included) when the estimate
    stays within ``limit``; otherwise say how long until one more request would fit."""
    if limit <= 0 or estimate(previous, current, elapsed) <= limit:
        return ALLOWED
    # The refused request is not counted: the window holds ``current - 1`` requests.
    done = current - 1
    if done + 1 <= limit and previous > 0:
        # Later in this same window, the previous window's share will have decayed enough.
        needed = 1.0 - (limit - done - 1) / previous
        wait = (needed - elapsed) * WINDOW_SECONDS
    else:
        # Only the next window can fit it: then ``done`` becomes the previous count.
        needed = 1.0 - (limit - 1) / done if done > 0 else 0.0
        wait = (1.0 - elapsed + max(needed, 0.0)) * WINDOW_SECONDS
    return Decision(False, max(1, math.ceil(wait - 1e-6)), key)  # float fuzz: 40.0000001 s


def _clock(now: float | None) -> tuple[int, float]:
    moment = time.time() if now is None else now
    minute = int(moment // WINDOW_SECONDS)
    return minute, (moment - minute * WINDOW_SECONDS) / WINDOW_SECONDS


class MemoryRateLimiter:
    """Counters in this process (thread-safe: sync handlers run in a thread pool)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, int], int] = {}
        self._minute = 0

    def acquire(self, limits: Sequence[tuple[str, int]], *, now: float | None = None) -> Decision:
        """Count one request against every ``(key, limit)``; all or nothing."""
        minute, elapsed = _clock(now)
        with self._lock:
            if minute != self._minute:
                # Forget windows older than the previous one, so memory stays bounded.
                self._counts = {k: v for k, v in self._counts.items() if k[1] >= minute - 1}
                self._minute = minute
            for key, limit in limits:
                if limit <= 0:
                    continue
                current = self._counts.get((key, minute), 0) + 1
                decision = decide(
                    self._counts.get((key, minute - 1), 0), current, elapsed, limit, key
                )
                if not decision.allowed:
                    return decision
            for key, limit in limits:
                if limit > 0:
                    self._counts[(key, minute)] = self._counts.get((key, minute), 0) + 1
        return ALLOWED


class DatabaseRateLimiter:
    """Counters in the ``rate_counters`` table, shared by every worker process."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._lock = threading.Lock()
        self._cleaned_minute = 0

    def acquire(self, limits: Sequence[tuple[str, int]], *, now: float | None = None) -> Decision:
        """Count one request against every ``(key, limit)`` in one transaction; a refusal
        rolls the counts back, so refused requests do not extend the wait."""
        active = [(key, limit) for key, limit in limits if limit > 0]
        if not active:
            return ALLOWED
        minute, elapsed = _clock(now)
        refused: Decision | None = None
        try:
            with write_session(self._sessions) as session:
                self._clean(session, minute)
                for key, limit in active:
                    current = _increment(session, key, minute)
                    previous = session.scalar(
                        select(RateCounter.count).where(
                            RateCounter.key == key, RateCounter.minute == minute - 1
                        )
                    )
                    decision = decide(previous or 0, current, elapsed, limit, key)
                    if not decision.allowed:
                        refused = decision
                        raise _Refused
        except _Refused:
            assert refused is not None
            return refused
        return ALLOWED

    def _clean(self, session: Session, minute: int) -> None:
        # Once per new minute per process: old windows are never read again.
        with self._lock:
            if self._cleaned_minute == minute:
                return
            self._cleaned_minute = minute
        session.execute(delete(RateCounter).where(RateCounter.minute < minute - 1))


class _Refused(Exception):
    """Raised inside the counting transaction to roll it back."""


def _increment(session: Session, key: str, minute: int) -> int:
    """Add one to ``(key, minute)`` atomically and return the new count."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        pg = pg_insert(RateCounter).values(key=key, minute=minute, count=1)
        stmt = pg.on_conflict_do_update(
            index_elements=["key", "minute"], set_={"count": RateCounter.count + 1}
        ).returning(RateCounter.count)
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        lite = sqlite_insert(RateCounter).values(key=key, minute=minute, count=1)
        stmt = lite.on_conflict_do_update(
            index_elements=["key", "minute"], set_={"count": RateCounter.count + 1}
        ).returning(RateCounter.count)
    else:  # pragma: no cover - other engines: portable, if racier, update-or-insert
        changed = session.execute(
            update(RateCounter)
            .where(RateCounter.key == key, RateCounter.minute == minute)
            .values(count=RateCounter.count + 1)
            .returning(RateCounter.count)
        ).scalar()
        if changed is None:
            session.add(RateCounter(key=key, minute=minute, count=1))
            session.flush()
            return 1
        return int(changed)
    return int(session.execute(stmt).scalar_one())
