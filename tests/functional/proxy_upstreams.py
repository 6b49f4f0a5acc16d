"""Real loopback servers and a raw client for the sandbox proxy's tests (not a test module).

``echo_server`` echoes TCP bytes (what a CONNECT tunnel reaches), ``http_upstream`` is an
``http.server`` that records every request it handles (so a smuggled second request would be
counted), ``ask`` speaks raw bytes to the proxy's Unix socket. The proxy is told that the
test names resolve to 127.0.0.1 and that loopback may be reached (its injectable address
policy); the strict default is tested separately.
"""

from __future__ import annotations

import json
import socket
import socketserver
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tank.sandbox.proxy_address import IPAddress, refuse_non_public


def allow_loopback(address: IPAddress) -> str | None:
    """The strict address check, except that loopback (the test servers) may be reached."""
    return None if address.is_loopback else refuse_non_public(address)


@dataclass
class FakeResolver:
    """Every name resolves to ``answer``; records the names asked."""

    answer: list[str] = field(default_factory=lambda: ["127.0.0.1"])
    asked: list[str] = field(default_factory=list)

    def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        return list(self.answer)


def short_socket_dir() -> Path:
    """A fresh folder with a path short enough for a Unix socket (pytest's may not be)."""
    return Path(tempfile.mkdtemp(prefix="tp-", dir="/tmp"))


class _Echo(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        while data := self.request.recv(65536):
            self.request.sendall(data)


@contextmanager
def echo_server() -> Iterator[int]:
    """A TCP echo server on a free loopback port; yields the port."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Echo)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Seen:
    """One request the HTTP upstream handled."""

    method: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes


@dataclass
class HttpUpstream:
    port: int
    seen: list[Seen]


def _read_chunked(handler: BaseHTTPRequestHandler) -> bytes:
    body = b""
    while True:
        line = handler.rfile.readline()
        if not line:
            raise ConnectionError("the proxy cut the body")  # what a cut body must cause
        size = int(line.split(b";")[0], 16)
        if size == 0:
            while handler.rfile.readline() not in (b"\r\n", b""):
                pass
            return body
        body += handler.rfile.read(size)
        handler.rfile.read(2)


@contextmanager
def http_upstream() -> Iterator[HttpUpstream]:
    """An HTTP/1.1 server (keep-alive) answering JSON with what it received."""
    seen: list[Seen] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _any(self) -> None:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                try:
                    body = _read_chunked(self)
                except ConnectionError:
                    self.close_connection = True
                    return
            else:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append(Seen(self.command, self.path, list(self.headers.items()), body))
            data = json.dumps({"path": self.path, "body": body.decode("latin-1")}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Keep-Alive", "timeout=5")
            self.send_header("X-Upstream", "yes")
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = _any

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield HttpUpstream(server.server_address[1], seen)
    finally:
        server.shutdown()
        server.server_close()


def connect(socket_path: Path, timeout: float = 10) -> socket.socket:
    """A client connection to the proxy's Unix socket."""
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.settimeout(timeout)
    client.connect(str(socket_path))
    return client


def read_all(client: socket.socket) -> bytes:
    """Everything the peer sends until it closes."""
    chunks = []
    while data := client.recv(65536):
        chunks.append(data)
    return b"".join(chunks)


def ask(socket_path: Path, data: bytes, timeout: float = 10) -> bytes:
    """Send ``data`` to the proxy and return its whole answer (it closes after one)."""
    with connect(socket_path, timeout) as client:
        client.sendall(data)
        return read_all(client)


def read_head(client: socket.socket) -> bytes:
    """Read up to and including the first empty line (a response head)."""
    data = b""
    while b"\r\n\r\n" not in data:
        more = client.recv(1)
        if not more:
            break
        data += more
    return data
