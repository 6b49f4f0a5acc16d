"""A small, real, scriptable HTTP registry on loopback for client tests (not a test module).

It speaks just enough of the registry API for ``tank install`` (skill documents, tarballs,
``POST /v1/status``) and serves whatever the test puts in it: a document that lies about its
tarball, a tarball that names another package, or an answer that trickles one byte at a time.
A ``http.server`` in a thread: a real socket, real HTTP, no mocks.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tank.core.integrity import sri_sha512


@dataclass
class FakeRegistry:
    """Routes and their answers; ``trickle`` makes every answer dribble out slowly."""

    url: str = ""
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    tarballs: dict[str, bytes] = field(default_factory=dict)
    #: Seconds between bytes of every answer (status line included); 0 answers at once.
    trickle: float = 0.0
    #: Only answers to paths ending so trickle (``None``: every answer).
    trickle_only: str | None = None
    requests: list[str] = field(default_factory=list)

    def add(
        self,
        name: str,
        version: str,
        tarball: bytes,
        *,
        permissions: dict[str, Any] | None = None,
        dependencies: dict[str, str] | None = None,
    ) -> str:
        """Serve ``tarball`` as ``name@version`` with a document claiming ``permissions`` and
        ``dependencies`` (whatever the tarball itself says); returns its integrity."""
        integrity = sri_sha512(tarball)
        doc = self.documents.setdefault(name, {"name": name, "versions": {}})
        doc["versions"][version] = {
            "version": version,
            "integrity": integrity,
            "verdict": "pass",
            "audit_score": 9.0,
            "permissions": permissions or {},
            "dependencies": dependencies or {},
            "yanked": False,
            "deleted": False,
        }
        doc["latest"] = version
        self.tarballs[f"/v1/skills/{name}/{version}/tarball"] = tarball
        return integrity

    def answer(self, method: str, path: str, body: bytes) -> tuple[int, str, bytes]:
        """``(status, content type, body)`` for one request."""
        self.requests.append(f"{method} {path}")
        if method == "POST" and path == "/v1/status":
            keys = json.loads(body or b"{}").get("versions", [])
            answers = {}
            for key in keys:
                name, _, version = key.rpartition("@")
                entry = self.documents.get(name, {}).get("versions", {}).get(version)
                answers[key] = (
                    {"verdict": entry["verdict"], "audit_score": entry["audit_score"],
                     "servable": True, "yanked": False, "deleted": False}
                    if entry else None
                )  # fmt: skip
            return 200, "application/json", json.dumps({"versions": answers}).encode()
        if path in self.tarballs:
            return 200, "application/gzip", self.tarballs[path]
        name = path.removeprefix("/v1/skills/").replace("%40", "@").replace("%2F", "/")
        if name in self.documents:
            return 200, "application/json", json.dumps(self.documents[name]).encode()
        error = {"error": {"code": "not_found", "message": f"{path} not found"}}
        return 404, "application/json", json.dumps(error).encode()


def _handler(registry: FakeRegistry) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, kind, payload = registry.answer(method, self.path, body)
            head = (
                f"HTTP/1.1 {status} X\r\nContent-Type: {kind}\r\n"
                f"Content-Length: {len(payload)}\r\nCache-Control: no-store\r\n\r\n"
            ).encode()
            data = head + payload
            only = registry.trickle_only
            delay = registry.trickle if only is None or self.path.endswith(only) else 0.0
            try:
                if delay:
                    for i in range(len(data)):
                        self.wfile.write(data[i : i + 1])
                        self.wfile.flush()
                        time.sleep(delay)
                else:
                    self.wfile.write(data)
            except OSError:
                self.close_connection = True  # the client gave up: expected when trickling

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


@contextmanager
def serve(registry: FakeRegistry | None = None) -> Iterator[FakeRegistry]:
    """Run ``registry`` on a free loopback port for the block; its ``url`` is set."""
    registry = registry or FakeRegistry()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(registry))
    server.daemon_threads = True
    registry.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield registry
    finally:
        server.shutdown()
        server.server_close()
