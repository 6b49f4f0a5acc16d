"""An overall wall-clock deadline for every registry request, and a notice when one is slow.

httpx's timeouts bound each socket operation, not the request: a registry that sends one
byte every few seconds never trips a 30 s read timeout and holds the client forever. Here a
deadline is set per logical request (retries included) in a thread-local, and the network
streams under httpx refuse to wait past it: each read, write or connect gets at most the
time left, and fails as a timeout once none is (the status line and headers included, which
no check between body chunks could catch). The HTTP client turns that timeout into a
:class:`~tank.client.errors.DeadlineExceeded` naming the registry and the deadline.

The defaults (see :func:`request_deadline`): :data:`DEFAULT_DEADLINE` seconds for any
request, plus the time a transfer of the body takes at :data:`MIN_RATE` bytes a second for
downloads (from their ``Content-Length``) and uploads, plus :data:`PUBLISH_EXTRA` for a
publish (scanned before it is answered); ``TANK_HTTP_DEADLINE`` sets the base.

A request still unanswered after :data:`SLOW_AFTER` seconds is announced through
:func:`tank.client.progress.slow_request` (once per registry and process), so a stuck
registry is never silent.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpcore

from tank.client import progress

#: Seconds a request may take in all (retries and backoff included) before the body's size.
DEFAULT_DEADLINE = 60.0
#: The slowest transfer rate a download or upload is given time for, in bytes per second.
MIN_RATE = 100_000
#: Seconds without a complete answer after which the user is told the client is waiting.
SLOW_AFTER = 1.0
#: Extra seconds a publish gets: the registry scans the upload before it answers (its scan
#: timeout may be set up to 600 s; the default is 10).
PUBLISH_EXTRA = 240.0
DEADLINE_ENV = "TANK_HTTP_DEADLINE"

_local = threading.local()


def request_deadline(body_bytes: int = 0) -> float:
    """The deadline of a request moving ``body_bytes`` (``TANK_HTTP_DEADLINE`` overrides the
    base; a value that is not a positive number is ignored)."""
    base = DEFAULT_DEADLINE
    raw = os.environ.get(DEADLINE_ENV, "").strip()
    if raw:
        try:
            value = float(raw)
        except ValueError:
            value = 0.0
        if 0 < value < float("inf"):
            base = value
    return base + body_bytes / MIN_RATE


@contextmanager
def deadline(seconds: float, registry: str) -> Iterator[None]:
    """Bound the network work of this thread in the block to ``seconds`` of wall clock, and
    announce it when it lasts longer than :data:`SLOW_AFTER`."""
    previous = getattr(_local, "state", None)
    _local.state = [time.monotonic() + seconds, seconds]
    ticket = _WATCHDOG.add(registry, seconds)
    try:
        yield
    finally:
        _WATCHDOG.remove(ticket)
        _local.state = previous


def extend(seconds: float) -> None:
    """Give the current request ``seconds`` more (a download whose size is now known)."""
    state = getattr(_local, "state", None)
    if state is not None:
        state[0] += seconds
        state[1] += seconds


def remaining() -> float | None:
    """Seconds left for this thread's request (``None``: no deadline is set)."""
    state = getattr(_local, "state", None)
    return None if state is None else state[0] - time.monotonic()


def current() -> float:
    """The current request's whole deadline in seconds (0 when none is set)."""
    state = getattr(_local, "state", None)
    return 0.0 if state is None else float(state[1])


def expired() -> bool:
    """True when this thread's request has run out of time."""
    left = remaining()
    return left is not None and left <= 0


def check() -> None:
    """Raise a timeout when the deadline has passed (between body chunks: a second line of
    defence when the streams could not be wrapped, e.g. behind a proxy transport)."""
    if expired():
        import httpx

        raise httpx.ReadTimeout("the request's deadline has passed")


def _bounded(timeout: float | None) -> float | None:
    left = remaining()
    if left is None:
        return timeout
    if left <= 0:
        raise httpcore.ReadTimeout("the request's deadline has passed")
    return left if timeout is None else min(timeout, left)


# ---------------------------------------------------------------------- network streams


class _Stream(httpcore.NetworkStream):
    """A network stream whose every operation waits no longer than the deadline allows."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, _bounded(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    """httpcore's network backend with :class:`_Stream` streams and bounded connects."""

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(
            host, port, _bounded(timeout), local_address, socket_options
        )
        return _Stream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        return _Stream(self._inner.connect_unix_socket(path, _bounded(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def bound_transport(transport: Any) -> bool:
    """Make the streams of an ``httpx.HTTPTransport`` honour the deadline; False when its
    connection pool is not the shape expected (then :func:`check` between chunks remains).

    httpx offers no public way to pass httpcore a network backend, so the pool's backend
    is wrapped in place; tests/unit/client/test_deadline.py fails if a new httpx moves it.
    """
    pool = getattr(transport, "_pool", None)
    inner = getattr(pool, "_network_backend", None)
    if pool is None or not isinstance(inner, httpcore.NetworkBackend):
        return False
    pool._network_backend = _Backend(inner)
    return True


# ---------------------------------------------------------------------- the slow notice


class _Watchdog:
    """One lazily started thread that announces requests running past :data:`SLOW_AFTER`.

    Registering costs a lock and a dict insert; nothing runs unless a notice is set.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._active: dict[int, tuple[float, str, float]] = {}
        self._told: set[str] = set()
        self._next = 0
        self._thread: threading.Thread | None = None

    def add(self, registry: str, seconds: float) -> int | None:
        if not progress.slow_notice_set() or registry in self._told:
            return None
        with self._cond:
            self._next += 1
            self._active[self._next] = (time.monotonic() + SLOW_AFTER, registry, seconds)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="tank-slow-watch", daemon=True
                )
                self._thread.start()
            self._cond.notify()
            return self._next

    def remove(self, ticket: int | None) -> None:
        if ticket is not None:
            with self._cond:
                self._active.pop(ticket, None)

    def _run(self) -> None:
        while True:
            due: list[tuple[str, float]] = []
            with self._cond:
                if not self._active:
                    self._cond.wait()
                    continue
                now = time.monotonic()
                first = min(at for at, _, _ in self._active.values())
                if first > now:
                    self._cond.wait(first - now)
                    continue
                for ticket, (at, registry, seconds) in list(self._active.items()):
                    if at <= now:
                        del self._active[ticket]
                        if registry not in self._told:
                            self._told.add(registry)
                            due.append((registry, seconds))
            for registry, seconds in due:
                progress.slow_request(registry, seconds)


_WATCHDOG = _Watchdog()
