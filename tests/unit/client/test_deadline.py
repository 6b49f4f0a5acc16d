"""The overall request deadline, against a real socket that trickles (no mocks)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from tank.client import deadline, progress
from tank.client.errors import DeadlineExceeded
from tank.client.http import RegistryClient


@pytest.fixture
def trickler() -> Iterator[str]:
    """A loopback server that sends its status line one byte every 0.2 s, forever: no
    single read ever times out, and no complete response ever arrives."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()

    def serve(conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            line = b"HTTP/1.1 200 OK\r\nX-Padding: " + b"a" * 10_000
            for i in range(len(line)):
                if stop.is_set():
                    return
                try:
                    conn.sendall(line[i : i + 1])
                except OSError:
                    return
                time.sleep(0.2)

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    listener.close()


def test_the_pool_backend_is_wrapped() -> None:
    # httpx has no public hook for the network backend: fail loudly if a new httpx moves it.
    with httpx.HTTPTransport() as transport:
        assert deadline.bound_transport(transport) is True


def test_trickled_headers_hit_the_deadline(trickler: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # a deadline past SLOW_AFTER: at exactly one second the deadline and the notice race
    monkeypatch.setenv(deadline.DEADLINE_ENV, "2")
    told: list[tuple[str, float]] = []
    progress.set_slow_notice(lambda url, seconds: told.append((url, seconds)))
    try:
        with RegistryClient(trickler) as client:
            began = time.monotonic()
            with pytest.raises(DeadlineExceeded) as caught:
                client.request("GET", "/v1/skills/@a/b")
            took = time.monotonic() - began
    finally:
        progress.set_slow_notice(None)
    assert took < 6, took  # one deadline, no retries after it
    assert trickler in caught.value.message and "within 2 s" in caught.value.message
    assert caught.value.code == "deadline"
    assert told == [(trickler, 2.0)]  # announced once, after a second


def test_trickled_tarball_hits_the_deadline(trickler: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(deadline.DEADLINE_ENV, "1")
    with RegistryClient(trickler) as client:
        began = time.monotonic()
        with pytest.raises(DeadlineExceeded) as caught:
            client.tarball("/v1/skills/@a/b/1.0.0/tarball", "sha512-AAAA", subject="@a/b@1.0.0")
        assert time.monotonic() - began < 4
    assert "@a/b@1.0.0" in caught.value.message


@pytest.mark.parametrize(
    ("raw", "size", "expected"),
    [("", 0, deadline.DEFAULT_DEADLINE), ("5", 0, 5.0), ("abc", 0, deadline.DEFAULT_DEADLINE),
     ("-1", 0, deadline.DEFAULT_DEADLINE), ("inf", 0, deadline.DEFAULT_DEADLINE),
     ("10", 1_000_000, 10.0 + 1_000_000 / deadline.MIN_RATE)],
)  # fmt: skip
def test_request_deadline(
    raw: str, size: int, expected: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(deadline.DEADLINE_ENV, raw)
    assert deadline.request_deadline(size) == expected


def test_no_deadline_outside_a_request() -> None:
    assert deadline.remaining() is None and not deadline.expired()
    with deadline.deadline(5, "http://x"):
        left = deadline.remaining()
        assert left is not None and 4 < left <= 5
        deadline.extend(10)
        assert deadline.current() == 15
    assert deadline.remaining() is None
