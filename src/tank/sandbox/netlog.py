"""What a run's log keeps of the proxy's decisions and the launcher's denials: capped.

A skill that loops on a refused host (or keeps trying a direct connection) would otherwise
fill its run's log record with thousands of identical lines, and a record longer than the
log's line limit is lost whole. So each run keeps the first :data:`PER_KEY` events of one
kind (a connection: its host and reason, allowed or not; a denial: its kind and detail), at
most :data:`MAX_EVENTS` in all, and then one summary entry per kind with ``"suppressed"``:
how many more there were. Kinds first seen once the list is full are counted together
(connections: per verdict, under host ``*``; denials: per kind), so the summaries are bounded
too. Counting never stops, so the counts are exact.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from tank.sandbox.proxy_policy import ProxyEvent

#: Events of one kind listed one by one before the rest are only counted.
PER_KEY: Final = 5
#: Events listed one by one in a run, all kinds together.
MAX_EVENTS: Final = 100

Key = tuple[Any, ...]


class _Capped:
    """Records grouped by a key: the first few listed, the rest counted (thread-safe)."""

    def __init__(
        self,
        summary: Callable[[dict[str, Any], int], dict[str, Any]],
        overflow: Callable[[dict[str, Any]], tuple[Key, dict[str, Any]]],
        per_key: int,
        total: int,
    ) -> None:
        self._summary, self._overflow = summary, overflow
        self._per_key, self._total = per_key, total
        self._kept: list[dict[str, Any]] = []
        self._listed: dict[Key, int] = {}
        self._suppressed: dict[Key, int] = {}
        self._first: dict[Key, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def _add(self, key: Key, record: dict[str, Any]) -> None:
        with self._lock:
            if key not in self._listed and len(self._kept) >= self._total:
                key, record = self._overflow(record)  # a new kind when the list is full
            self._first.setdefault(key, record)
            listed = self._listed.get(key, 0)
            if listed < self._per_key and len(self._kept) < self._total:
                self._kept.append(record)
                self._listed[key] = listed + 1
            else:
                self._suppressed[key] = self._suppressed.get(key, 0) + 1

    def records(self) -> list[dict[str, Any]]:
        """The listed records in order, then one summary per kind with suppressed ones."""
        with self._lock:
            summaries = [self._summary(self._first[k], n) for k, n in self._suppressed.items()]
            return [*self._kept, *summaries]


def _connection_summary(first: dict[str, Any], count: int) -> dict[str, Any]:
    verdict = "allowed" if first.get("allowed") else "refused"
    return first | {
        "detail": f"{count} more {verdict} like this ({first.get('reason')}) not listed",
        "address": "",
        "suppressed": count,
    }


def _connection_overflow(record: dict[str, Any]) -> tuple[Key, dict[str, Any]]:
    allowed = bool(record.get("allowed"))
    verdict = "allowed" if allowed else "refused"
    other = {"host": "*", "port": 0, "method": "", "reason": f"other {verdict} hosts"}
    return ("*", allowed), record | other


def _denial_overflow(record: dict[str, Any]) -> tuple[Key, dict[str, Any]]:
    return (record.get("kind"), "*"), record | {"detail": f"other {record.get('kind')} denials"}


def _denial_summary(first: dict[str, Any], count: int) -> dict[str, Any]:
    return first | {
        "detail": f"{first.get('detail')} ({count} more not listed)",
        "suppressed": count,
    }


class ConnectionLog(_Capped):
    """The proxy's decisions of one run; :meth:`add` is the proxy's ``on_event``."""

    def __init__(self, per_key: int = PER_KEY, total: int = MAX_EVENTS) -> None:
        super().__init__(_connection_summary, _connection_overflow, per_key, total)

    def add(self, event: ProxyEvent) -> None:
        """Record one decision of the proxy (called on the proxy's thread)."""
        self._add((event.allowed, event.host, event.reason), event.to_json())


class DenialLog(_Capped):
    """The denials the launcher reported during one run."""

    def __init__(self, per_key: int = PER_KEY, total: int = MAX_EVENTS) -> None:
        super().__init__(_denial_summary, _denial_overflow, per_key, total)

    def add(self, denial: dict[str, Any]) -> None:
        """Record one denial (``kind``, ``detail``, ``source``)."""
        self._add((denial.get("kind"), denial.get("detail")), denial)
