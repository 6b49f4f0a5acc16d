"""The in-process blob cache: byte budget, LRU order, large blobs passed through."""

from __future__ import annotations

from tank.server.storage.cache import BlobCache


def test_hits_do_not_reload() -> None:
    loads: list[str] = []
    cache = BlobCache(max_bytes=100, max_item=50)

    def load(key: str) -> bytes:
        loads.append(key)
        return key.encode() * 10

    assert cache.get("ab", load) == b"ab" * 10
    assert cache.get("ab", load) == b"ab" * 10
    assert loads == ["ab"]


def test_budget_evicts_least_recently_used() -> None:
    cache = BlobCache(max_bytes=30, max_item=30)
    for key in ("a", "b", "c"):
        cache.get(key, lambda k: k.encode() * 10)
    assert cache.size == 30
    cache.get("a", lambda k: b"never")  # touch a: b is now the oldest
    cache.get("d", lambda k: k.encode() * 10)
    assert cache.size == 30
    reloaded: list[str] = []
    cache.get("b", lambda k: reloaded.append(k) or k.encode() * 10)  # type: ignore[func-returns-value]
    assert reloaded == ["b"]


def test_large_blobs_are_not_kept_and_discard_forgets() -> None:
    cache = BlobCache(max_bytes=1000, max_item=10)
    assert cache.get("big", lambda k: b"x" * 11) == b"x" * 11
    assert cache.size == 0
    cache.get("small", lambda k: b"y")
    cache.discard("small")
    assert cache.size == 0
