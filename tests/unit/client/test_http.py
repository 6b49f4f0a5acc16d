"""RegistryClient against a real HTTP server on loopback: retries, backoff, errors, ETags.

The server is Python's http.server in a thread, answering from a script, so every byte goes
through real sockets and real httpx; only the backoff constants are shrunk to keep it fast.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tank.client import http
from tank.client.errors import AuthError, NetworkError, NotFoundError, RegistryError
from tank.client.http import MetadataCache, RegistryClient
from tank.core.errors import IntegrityError
from tank.core.integrity import sri_sha512


@dataclass
class Seen:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


Answer = tuple[int, dict[str, str], bytes]
Step = Answer | Callable[[Seen], Answer]


class Script(ThreadingHTTPServer):
    """Answers each request with the next step of ``steps`` (the last one repeats)."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.steps: list[Step] = []
        self.seen: list[Seen] = []
        self.delay = 0.0
        self.url = f"http://127.0.0.1:{self.server_address[1]}"

    def play(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.seen.clear()


class Handler(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        server: Script = self.server  # type: ignore[assignment]
        length = int(self.headers.get("Content-Length") or 0)
        seen = Seen(
            self.command,
            self.path,
            dict(self.headers),
            self.rfile.read(length) if length else b"",
            time.monotonic(),
        )
        server.seen.append(seen)
        step = server.steps.pop(0) if len(server.steps) > 1 else server.steps[0]
        status, headers, body = step(seen) if callable(step) else step
        if server.delay:
            time.sleep(server.delay)
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_DELETE = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[Script]:
    script = Script()
    thread = threading.Thread(target=script.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield script
    script.shutdown()
    script.server_close()


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "BACKOFF_BASE", 0.001)
    monkeypatch.setattr(http, "BACKOFF_CAP", 0.01)


def ok(data: object, **headers: str) -> Answer:
    return 200, {"Content-Type": "application/json", **headers}, json.dumps(data).encode()


def fail(status: int, error: dict[str, Any] | None = None, **headers: str) -> Answer:
    body = json.dumps({"error": error}).encode() if error is not None else b"<html>oops</html>"
    kind = "application/json" if error is not None else "text/html"
    return status, {"Content-Type": kind, **headers}, body


def test_transient_statuses_are_retried_until_success(server: Script) -> None:
    server.play(fail(503), fail(502), ok({"results": []}))
    with RegistryClient(server.url) as client:
        assert client.search("pdf") == {"results": []}
    assert len(server.seen) == 3
    assert all(s.path.startswith("/v1/search?q=pdf") for s in server.seen)


def test_retry_after_is_honoured(server: Script, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "BACKOFF_CAP", 1.0)  # Retry-After may stretch to 4 x the cap
    server.play((429, {"Retry-After": "0.6"}, b""), ok({}))
    with RegistryClient(server.url) as client:
        client.search("x")
    first, second = server.seen
    assert second.at - first.at >= 0.6  # the base backoff alone would be ~1 ms


def test_retry_after_is_capped(server: Script) -> None:
    # a hostile or broken registry cannot park the client for an hour
    server.play((503, {"Retry-After": "3600"}, b""), ok({}))
    started = time.monotonic()
    with RegistryClient(server.url) as client:
        client.search("x")
    assert time.monotonic() - started < 5


def test_gives_up_after_the_retries(server: Script) -> None:
    server.play(fail(503, {"code": "busy", "message": "try later"}))
    with RegistryClient(server.url, retries=2) as client, pytest.raises(RegistryError) as caught:
        client.search("x")
    assert len(server.seen) == 3
    assert type(caught.value) is RegistryError
    assert caught.value.status == 503 and caught.value.code == "busy"
    assert caught.value.message == f"try later ({server.url})"


def test_writes_are_not_retried_after_an_error_status(server: Script) -> None:
    server.play(fail(503), (201, {}, b"{}"))
    with RegistryClient(server.url) as client, pytest.raises(RegistryError):
        client.publish(b"tarball", {"name": "@a/b"})
    assert len(server.seen) == 1  # a publish that may have run must not run twice


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, RegistryError),
        (401, AuthError),
        (403, AuthError),
        (404, NotFoundError),
        (409, RegistryError),
        (410, NotFoundError),
        (422, RegistryError),
    ],
)
def test_error_statuses_map_to_the_error_family(
    server: Script, status: int, cls: type[RegistryError]
) -> None:
    error = {
        "code": "some_code",
        "message": "what went wrong",
        "hint": "how to fix it",
        "detail": "more",
        "problems": [
            {
                "code": "p1",
                "severity": "error",
                "message": "bad name",
                "file": "SKILL.md",
                "line": 2,
            },
            {"code": "p2", "severity": "warning", "message": "odd key"},
            "not a problem",
        ],
    }
    server.play(fail(status, error))
    with RegistryClient(server.url) as client, pytest.raises(RegistryError) as caught:
        client.whoami()
    got = caught.value
    assert type(got) is cls
    assert len(server.seen) == 1  # client errors are permanent
    assert got.status == status and got.code == "some_code"
    assert got.message == f"what went wrong ({server.url})"
    assert got.hint == "how to fix it" and got.detail == "more"
    assert [str(p).splitlines()[0] for p in got.problems] == [
        "SKILL.md:2: error[p1]: bad name",
        "warning[p2]: odd key",
    ]


def test_error_without_a_json_body(server: Script) -> None:
    server.play(fail(401))
    with RegistryClient(server.url) as client, pytest.raises(AuthError) as caught:
        client.whoami()
    assert caught.value.message == f"GET /v1/whoami failed with HTTP 401 ({server.url})"
    assert caught.value.hint is not None and "tank login" in caught.value.hint


def test_an_unreachable_registry_is_a_network_error() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    with RegistryClient(url, retries=1) as client, pytest.raises(NetworkError) as caught:
        client.search("x")
    assert url in caught.value.message
    assert caught.value.hint is not None and "tank config get registry" in caught.value.hint


def test_a_registry_too_slow_to_answer_is_a_network_error(server: Script) -> None:
    server.play(ok({}))
    server.delay = 1.0
    with (
        RegistryClient(server.url, timeout=0.2, retries=1) as client,
        pytest.raises(NetworkError),
    ):
        client.search("x")
    assert len(server.seen) == 2  # a read timeout on a read is retried once, then given up


def test_token_and_user_agent_are_sent(server: Script) -> None:
    server.play(ok({"username": "alice"}))
    with RegistryClient(server.url, token="t0ken-value") as client:
        assert client.whoami() == {"username": "alice"}
    headers = {k.lower(): v for k, v in server.seen[0].headers.items()}
    assert headers["authorization"] == "Bearer t0ken-value"
    assert headers["user-agent"].startswith("tank/")
    server.play(ok({}))
    with RegistryClient(server.url) as anonymous:
        anonymous.search("x")
    assert "authorization" not in {k.lower() for k in server.seen[0].headers}


def test_skill_document_is_revalidated_with_its_etag(server: Script, tmp_path: Path) -> None:
    doc = {"name": "@a/pdf", "latest": "1.0.0"}

    def conditional(seen: Seen) -> Answer:
        if seen.headers.get("If-None-Match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return ok(doc, ETag='"v1"')

    server.play(conditional)
    cache = MetadataCache(tmp_path / "metadata")
    with RegistryClient(server.url, metadata_cache=cache) as client:
        assert client.skill_document("@a/pdf") == doc
        assert client.skill_document("@a/pdf") == doc
    assert [s.path for s in server.seen] == ["/v1/skills/@a/pdf"] * 2
    assert "If-None-Match" not in server.seen[0].headers
    assert server.seen[1].headers["If-None-Match"] == '"v1"'

    # a corrupt cache entry is ignored (a full download), never trusted
    for entry in (tmp_path / "metadata").iterdir():
        entry.write_bytes(b"garbage")
    with RegistryClient(server.url, metadata_cache=cache) as client:
        assert client.skill_document("@a/pdf") == doc
    assert "If-None-Match" not in server.seen[2].headers


def test_fresh_documents_are_reused_until_max_age_runs_out(
    server: Script, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = {"name": "@a/pdf", "latest": "1.0.0"}

    def conditional(seen: Seen) -> Answer:
        if seen.headers.get("If-None-Match") == '"v1"':
            return 304, {"ETag": '"v1"', "Cache-Control": "public, max-age=60"}, b""
        return ok(doc, ETag='"v1"', **{"Cache-Control": "public, max-age=60"})

    server.play(conditional)
    cache = MetadataCache(tmp_path / "metadata")
    with RegistryClient(server.url, metadata_cache=cache) as client:
        assert client.skill_document("@a/pdf") == doc
        assert client.skill_document("@a/pdf") == doc  # fresh: no request
        assert len(server.seen) == 1
        assert client.skill_document("@a/pdf", revalidate=True) == doc  # --refresh, update
        assert server.seen[-1].headers["If-None-Match"] == '"v1"'
        now = time.time()
        monkeypatch.setattr(http.time, "time", lambda: now + 61)
        assert client.skill_document("@a/pdf") == doc  # stale: revalidated
    assert len(server.seen) == 3


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (None, 0),
        ("public, max-age=300", 300),
        ("public, no-cache", 0),
        ("private, max-age=300", 0),
        ("no-store", 0),
        ("max-age=abc", 0),
        ("max-age=99999999", 86_400),
    ],
)
def test_max_age(header: str | None, seconds: int) -> None:
    assert http.max_age(header) == seconds


def test_an_endless_answer_is_cut_off(server: Script, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "MAX_RESPONSE_BYTES", 1000)
    server.play(ok({"name": "@a/pdf", "padding": "x" * 5000}))
    with RegistryClient(server.url) as client, pytest.raises(RegistryError) as caught:
        client.skill_document("@a/pdf")
    assert caught.value.code == "response_too_large"


def test_a_broken_document_is_a_registry_error(server: Script) -> None:
    server.play((200, {"Content-Type": "application/json"}, b"{not json"))
    with RegistryClient(server.url) as client, pytest.raises(RegistryError) as caught:
        client.skill_document("@a/pdf")
    assert caught.value.code == "bad_document"


def test_tarball_download_is_retried_and_verified(server: Script) -> None:
    data = b"canonical tarball bytes"
    server.play(fail(503), (200, {"Content-Type": "application/gzip"}, data))
    path = "/v1/skills/@a/pdf/1.0.0/tarball"
    with RegistryClient(server.url) as client:
        assert client.tarball(path, sri_sha512(data), subject="@a/pdf@1.0.0") == data
        assert len(server.seen) == 2
        with pytest.raises(IntegrityError) as caught:
            client.tarball(path, sri_sha512(b"something else"), subject="@a/pdf@1.0.0")
        assert "@a/pdf@1.0.0" in str(caught.value)
        with pytest.raises(IntegrityError):
            client.tarball("https://elsewhere/x.tgz", sri_sha512(data), subject="@a/pdf@1.0.0")


@pytest.mark.parametrize(
    "body",
    [b'{"a":' * 100_000 + b"1" + b"}" * 100_000, b'{"versions": ' + b"9" * 5000 + b"}"],
    ids=["nested-100000", "5000-digits"],
)
def test_a_hostile_document_is_a_registry_error(server: Script, body: bytes) -> None:
    # Before: RecursionError / ValueError escaped as an internal error (exit 70).
    server.play((200, {"Content-Type": "application/json"}, body))
    with RegistryClient(server.url) as client:
        for read in (
            lambda: client.skill_document("@a/pdf"),
            lambda: client.version_document("@a/pdf", "1.0.0"),
            lambda: client.search("pdf"),
            client.whoami,
        ):
            with pytest.raises(RegistryError) as caught:
                read()
            assert caught.value.code == "bad_document"
            assert caught.value.hint
    server.play((500, {"Content-Type": "application/json"}, body))
    with RegistryClient(server.url, retries=0) as client, pytest.raises(RegistryError) as failed:
        client.whoami()
    assert failed.value.status == 500
