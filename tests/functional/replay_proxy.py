"""A real HTTP proxy on loopback in front of a real registry, for tests (not a test module).

It forwards every request to the registry and can record an answer, then serve it again
later in place of the registry's (a replayed, old answer), or change an answer on its way
through (a tampered body, a stripped header): what a mirror, a caching proxy or an attacker
on the path can do. ``http.server`` in a thread and httpx: real sockets, no mocks.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

#: ``(status, headers, body)`` of one answer.
Answer = tuple[int, dict[str, str], bytes]
_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


@dataclass
class ReplayProxy:
    """Forward to ``upstream``; ``replay[path]`` answers instead, ``change`` edits answers."""

    upstream: str
    url: str = ""
    recorded: dict[str, Answer] = field(default_factory=dict)
    replay: dict[str, Answer] = field(default_factory=dict)
    change: Callable[[str, Answer], Answer] | None = None

    def forward(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        """The answer to one request (recorded by path for later replays)."""
        if method == "GET" and path in self.replay:
            return self.replay[path]
        sent = {k: v for k, v in headers.items() if k.lower() not in ("host", *_HOP)}
        with httpx.Client(base_url=self.upstream, timeout=60) as client:
            response = client.request(method, path, headers=sent, content=body)
        kept = {k: v for k, v in response.headers.items() if k.lower() not in _HOP}
        answer: Answer = (response.status_code, kept, response.content)
        if method == "GET":
            self.recorded[path] = answer
        if self.change is not None:
            answer = self.change(path, answer)
        return answer


@contextmanager
def running(proxy: ReplayProxy) -> Iterator[ReplayProxy]:
    """Serve ``proxy`` on a free loopback port for the ``with`` block."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, headers, data = proxy.forward(
                self.command, self.path, dict(self.headers.items()), body
            )
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if data and status != 304:
                self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _any

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    proxy.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        server.shutdown()
        server.server_close()
