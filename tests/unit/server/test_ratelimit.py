"""The sliding-window rate limiter: its arithmetic, the in-memory store, the database store."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from tank.server.db.models import RateCounter
from tank.server.services.ratelimit import (
    WINDOW_SECONDS,
    DatabaseRateLimiter,
    MemoryRateLimiter,
    decide,
    estimate,
)

T0 = 1_000_000 * WINDOW_SECONDS  # the start of a window


def test_estimate_weights_the_previous_window_by_what_is_left_of_it() -> None:
    assert estimate(10, 0, 0.0) == 10
    assert estimate(10, 2, 0.5) == 7
    assert estimate(10, 2, 1.0) == 2


def test_decide_allows_up_to_the_limit_and_zero_disables() -> None:
    assert decide(0, 3, 0.0, 3).allowed
    assert not decide(0, 4, 0.0, 3).allowed
    assert decide(0, 10_000, 0.0, 0).allowed


def test_retry_after_waits_for_the_next_window_when_this_one_is_full() -> None:
    # 3 done in this window at 10 s, limit 3: the next window starts in 50 s, and then the
    # 3 previous requests weigh 3*(1-h) + 1 <= 3, so h >= 1/3 (20 s more).
    decision = decide(0, 4, 10 / 60, 3)
    assert not decision.allowed
    assert decision.retry_after == 70


def test_retry_after_within_the_window_when_the_previous_one_decays() -> None:
    # previous 6, current 1 done + this one, limit 4, at 0 s: 6*(1-g) + 2 <= 4 -> g >= 2/3.
    decision = decide(6, 2, 0.0, 4)
    assert not decision.allowed
    assert decision.retry_after == 40
    assert decide(6, 2, 41 / 60, 4).allowed


def test_memory_limiter_counts_per_key_and_refusals_do_not_count() -> None:
    limiter = MemoryRateLimiter()
    for _ in range(3):
        assert limiter.acquire([("a", 3)], now=T0 + 1).allowed
    refused = limiter.acquire([("a", 3)], now=T0 + 2)
    assert not refused.allowed and refused.key == "a" and refused.retry_after > 0
    assert limiter.acquire([("b", 3)], now=T0 + 2).allowed  # another key is unaffected
    # Hammering while refused does not push the window further away.
    for _ in range(50):
        assert not limiter.acquire([("a", 3)], now=T0 + 3).allowed
    later = T0 + 2 + refused.retry_after
    assert limiter.acquire([("a", 3)], now=later).allowed


def test_memory_limiter_is_all_or_nothing_across_keys() -> None:
    limiter = MemoryRateLimiter()
    assert limiter.acquire([("tok", 1)], now=T0).allowed
    assert not limiter.acquire([("ip", 10), ("tok", 1)], now=T0).allowed
    # The refused request did not consume the ip key.
    for _ in range(10):
        assert limiter.acquire([("ip", 10)], now=T0).allowed
    assert not limiter.acquire([("ip", 10)], now=T0).allowed


def test_memory_limiter_is_thread_safe() -> None:
    limiter = MemoryRateLimiter()
    allowed: list[bool] = []
    lock = threading.Lock()

    def hit() -> None:
        for _ in range(50):
            ok = limiter.acquire([("k", 100)], now=T0 + 5).allowed
            with lock:
                allowed.append(ok)

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 100
    assert len(allowed) == 400


def test_memory_limiter_forgets_old_windows() -> None:
    limiter = MemoryRateLimiter()
    limiter.acquire([("k", 5)], now=T0)
    limiter.acquire([("k", 5)], now=T0 + 10 * WINDOW_SECONDS)
    assert all(minute >= T0 // WINDOW_SECONDS + 9 for _, minute in limiter._counts)


def test_database_limiter_shares_counters_between_instances(registry) -> None:  # type: ignore[no-untyped-def]
    # Two limiters on one database stand for two worker processes.
    first = DatabaseRateLimiter(registry.sessions)
    second = DatabaseRateLimiter(registry.sessions)
    assert first.acquire([("write:token:1", 3)], now=T0 + 1).allowed
    assert second.acquire([("write:token:1", 3)], now=T0 + 2).allowed
    assert first.acquire([("write:token:1", 3)], now=T0 + 3).allowed
    refused = second.acquire([("write:token:1", 3)], now=T0 + 4)
    assert not refused.allowed
    assert refused.retry_after > 0
    with registry.sessions() as session:
        counts = session.scalars(select(RateCounter.count)).all()
    assert counts == [3]  # the refused request was rolled back
    assert first.acquire([("write:token:2", 3)], now=T0 + 4).allowed


def test_database_limiter_refusal_rolls_back_every_key(registry) -> None:  # type: ignore[no-untyped-def]
    limiter = DatabaseRateLimiter(registry.sessions)
    assert limiter.acquire([("tok", 1), ("ip", 5)], now=T0).allowed
    assert not limiter.acquire([("ip", 5), ("tok", 1)], now=T0).allowed
    with registry.sessions() as session:
        rows = dict(session.execute(select(RateCounter.key, RateCounter.count)).all())
    assert rows == {"tok": 1, "ip": 1}


def test_database_limiter_slides_and_cleans_old_windows(registry) -> None:  # type: ignore[no-untyped-def]
    limiter = DatabaseRateLimiter(registry.sessions)
    for _ in range(2):
        assert limiter.acquire([("k", 2)], now=T0 + 59).allowed
    # Just after the boundary the previous window still counts almost fully.
    assert not limiter.acquire([("k", 2)], now=T0 + 61).allowed
    assert limiter.acquire([("k", 2)], now=T0 + 60 + 31).allowed
    assert limiter.acquire([("k", 2)], now=T0 + 5 * 60).allowed
    with registry.sessions() as session:
        minutes = session.scalars(select(RateCounter.minute)).all()
    assert min(minutes) >= T0 // 60 + 4  # windows older than the previous one are deleted


@pytest.mark.parametrize("limit", [0, -1])
def test_database_limiter_disabled_writes_nothing(registry, limit: int) -> None:  # type: ignore[no-untyped-def]
    limiter = DatabaseRateLimiter(registry.sessions)
    for _ in range(5):
        assert limiter.acquire([("k", limit)], now=T0).allowed
    with registry.sessions() as session:
        assert session.scalars(select(RateCounter)).all() == []
