"""End to end: the pre-install quarantine check is one ``POST /v1/status`` per registry.

The real CLI talks to the real registry through a counting loopback proxy (the registry
keeps no access log): it records every request, and can answer 404 to ``POST /v1/status``
to play an older registry without the route (the real one cannot be built without it).
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from tank.cli.exit_codes import ExitCode
from tests.conftest import ClientWorld, set_verdict
from tests.functional.test_cli_audit import copy_project
from tests.functional.test_cli_install import snapshot, three

__all__ = ["three"]  # the fixture, shared with test_cli_install

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-encoding", "content-length"}


class CountingProxy:
    """A loopback HTTP proxy to ``upstream`` recording ``(method, path)`` of each request."""

    def __init__(self, upstream: str, *, without_status: bool = False) -> None:
        self.seen: list[tuple[str, str]] = []
        self.without_status = without_status
        proxy = self
        client = httpx.Client(base_url=upstream, timeout=60)

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _forward(self) -> None:
                proxy.seen.append((self.command, self.path))
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if proxy.without_status and self.path.endswith("/v1/status"):
                    self._answer(404, {}, b'{"error": {"message": "Not Found"}}')
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                headers.pop("Host", None)
                got = client.request(self.command, self.path, headers=headers, content=body)
                kept = {k: v for k, v in got.headers.items() if k.lower() not in HOP_BY_HOP}
                self._answer(got.status_code, kept, got.content)

            def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = _forward

            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

        self._client = client
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def count(self, method: str, prefix: str) -> int:
        """How many ``method`` requests had a path starting with ``prefix``."""
        return sum(1 for m, p in self.seen if m == method and p.startswith(prefix))

    def close(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()
        self._client.close()


@pytest.fixture
def proxies(three: tuple[ClientWorld, str]) -> Iterator[tuple[CountingProxy, CountingProxy]]:
    """Two proxies to ``three``'s registry: a current one and one playing an older registry."""
    world, _ = three
    current = CountingProxy(world.server.url)
    older = CountingProxy(world.server.url, without_status=True)
    yield current, older
    current.close()
    older.close()


def unlink(project: Path) -> None:
    """Remove what an install linked (the lockfile and the warm cache stay)."""
    for folder in (".agents", ".claude"):
        shutil.rmtree(project / folder, ignore_errors=True)


def test_warm_lockfile_install_checks_every_skill_with_two_requests(
    three: tuple[ClientWorld, str], proxies: tuple[CountingProxy, CountingProxy]
) -> None:
    world, _ = three
    current, _older = proxies
    env = {"TANK_REGISTRY": current.url}
    project = world.project("p", {"@alice/top": "^1.0.0"})
    assert world.tank("install", cwd=project, env=env).returncode == 0
    assert current.count("GET", "/v1/skills/") > 0  # the cold install resolved and fetched

    current.seen.clear()
    unlink(project)
    result = world.tank("install", cwd=project, env=env)
    assert result.returncode == 0, result.stderr
    assert (project / ".agents/skills").is_dir()
    # one request for the status of every locked skill, one for the log proofs of them all
    # (the transparency check): however many skills, never one request per skill
    assert current.seen == [("POST", "/v1/status"), ("POST", "/v1/log/proofs")], current.seen

    # The answers are used: a rescan's fail and an unpublished version are both refused.
    set_verdict(world.server.db_url, "@alice/mid", "1.0.0", "fail")
    fresh = copy_project(world, project, "fresh")
    before = snapshot(fresh)
    refused = world.tank("install", cwd=fresh, env=env)
    assert refused.returncode == ExitCode.AUDIT, refused.stderr
    assert "@alice/mid@1.0.0" in refused.stderr and "quarantined" in refused.stderr
    assert snapshot(fresh) == before


def test_unpublished_version_is_refused_from_a_warm_lockfile(
    three: tuple[ClientWorld, str], proxies: tuple[CountingProxy, CountingProxy]
) -> None:
    world, token = three
    current, _older = proxies
    env = {"TANK_REGISTRY": current.url}
    project = world.project("p", {"@alice/top": "^1.0.0"})
    assert world.tank("install", cwd=project, env=env).returncode == 0
    gone = httpx.delete(
        f"{world.server.url}/v1/skills/@alice/top/1.0.0",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert gone.status_code == 200, gone.text
    unlink(project)
    before = snapshot(project)
    refused = world.tank("install", cwd=project, env=env)
    assert refused.returncode == ExitCode.AUDIT, refused.stderr
    assert "@alice/top@1.0.0" in refused.stderr and "unpublished" in refused.stderr
    assert "@alice/mid" not in refused.stderr
    assert snapshot(project) == before


def test_older_registry_without_the_route_is_checked_document_by_document(
    three: tuple[ClientWorld, str], proxies: tuple[CountingProxy, CountingProxy]
) -> None:
    world, _ = three
    _current, older = proxies
    env = {"TANK_REGISTRY": older.url}
    project = world.project("p", {"@alice/top": "^1.0.0"})
    assert world.tank("install", cwd=project, env=env).returncode == 0

    older.seen.clear()
    unlink(project)
    result = world.tank("install", cwd=project, env=env)
    assert result.returncode == 0, result.stderr
    assert older.count("POST", "/v1/status") == 1
    documents = sorted(p for m, p in older.seen if m == "GET")
    assert documents == ["/v1/skills/@alice/base", "/v1/skills/@alice/mid", "/v1/skills/@alice/top"]

    set_verdict(world.server.db_url, "@alice/mid", "1.0.0", "fail")
    unlink(project)
    before = snapshot(project)
    refused = world.tank("install", cwd=project, env=env)
    assert refused.returncode == ExitCode.AUDIT, refused.stderr
    assert "@alice/mid@1.0.0" in refused.stderr and "quarantined" in refused.stderr
    assert snapshot(project) == before


def test_unreachable_registry_fails_closed(three: tuple[ClientWorld, str]) -> None:
    world, _ = three
    project = world.project("p", {"@alice/top": "^1.0.0"})
    assert world.tank("install", cwd=project).returncode == 0
    unlink(project)
    before = snapshot(project)
    proxy = CountingProxy(world.server.url)
    url = proxy.url
    proxy.close()  # nothing listens there any more
    result = world.tank("install", cwd=project, env={"TANK_REGISTRY": url})
    assert result.returncode not in (0, ExitCode.AUDIT), result.stderr
    assert "cannot reach the registry" in result.stderr
    assert snapshot(project) == before
