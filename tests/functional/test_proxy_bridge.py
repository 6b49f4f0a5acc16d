"""The in-sandbox bridge (loopback TCP port → the proxy's Unix socket) over real sockets.

The bridge alone against a Unix echo server (bytes both ways, half-close, many at once), then
the bridge run the way the launcher runs it (``python -I proxy_bridge.py SOCKET PORT``) in
front of a real proxy, with httpx going through ``http://127.0.0.1:PORT`` as a skill would.
"""

from __future__ import annotations

import ast
import os
import socket
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

import tank.sandbox.proxy_bridge as bridge_module
from tank.sandbox.proxy import ProxyEvent, ProxyPolicy, ProxyServer
from tank.sandbox.proxy_bridge import Bridge, bridge
from tests.functional.proxy_upstreams import (
    FakeResolver,
    allow_loopback,
    echo_server,
    http_upstream,
    read_all,
    read_head,
    short_socket_dir,
)

BRIDGE_FILE = Path(bridge_module.__file__)


@pytest.fixture
def folder() -> Iterator[Path]:
    path = short_socket_dir()
    yield path
    for child in path.iterdir():
        child.unlink()
    path.rmdir()


class _UnixEcho(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        while data := self.request.recv(65536):
            self.request.sendall(data)
        self.request.shutdown(socket.SHUT_WR)


@contextmanager
def unix_echo(path: Path) -> Iterator[None]:
    server = socketserver.ThreadingUnixStreamServer(str(path), _UnixEcho, bind_and_activate=False)
    server.request_queue_size = 2  # smaller than the clients at once: the bridge must wait
    server.server_bind()
    server.server_activate()
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serving(server: Bridge) -> Iterator[Bridge]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.close()
        thread.join(timeout=10)
        assert not thread.is_alive()


def echo_through(port: int, payload: bytes) -> bytes:
    """Send ``payload`` through the bridge while reading, half-close, return all echoed."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
        received: list[bytes] = []
        reader = threading.Thread(target=lambda: received.append(read_all(client)))
        reader.start()
        client.sendall(payload)
        client.shutdown(socket.SHUT_WR)
        reader.join()
        return received[0]


def test_the_bridge_forwards_bytes_both_ways(folder: Path) -> None:
    target = folder / "echo.sock"
    with unix_echo(target), serving(bridge(target, 0)) as server:
        assert server.port > 0
        payload = os.urandom(3 * 1024 * 1024)  # far more than one buffer
        assert echo_through(server.port, payload) == payload
        assert echo_through(server.port, b"") == b""  # an immediate half-close


def test_the_bridge_serves_connections_at_once(folder: Path) -> None:
    target = folder / "echo.sock"
    results: list[bytes] = []
    with unix_echo(target), serving(bridge(target, 0)) as server:
        threads = [
            threading.Thread(
                target=lambda n=n: results.append(echo_through(server.port, bytes([n]) * 50_000))
            )
            for n in range(12)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(results) == sorted(bytes([n]) * 50_000 for n in range(12))


def test_without_the_proxy_a_client_sees_a_closed_connection(folder: Path) -> None:
    with (
        serving(bridge(folder / "absent.sock", 0)) as server,
        socket.create_connection(("127.0.0.1", server.port), timeout=10) as client,
    ):
        assert read_all(client) == b""


def test_the_bridge_listens_on_loopback_only(folder: Path) -> None:
    with serving(bridge(folder / "absent.sock", 0)) as server:
        assert server._listener.getsockname()[0] == "127.0.0.1"


def test_the_bridge_module_imports_only_the_standard_library() -> None:
    tree = ast.parse(BRIDGE_FILE.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports"
            imported.add((node.module or "").split(".")[0])
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported


@contextmanager
def bridge_process(socket_path: Path) -> Iterator[int]:
    """The bridge as the launcher runs it: an isolated interpreter given the file's path."""
    process = subprocess.Popen(
        [sys.executable, "-I", str(BRIDGE_FILE), str(socket_path), "0"],
        stdout=subprocess.PIPE,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        cwd="/",
    )
    try:
        assert process.stdout is not None
        yield int(process.stdout.readline())
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_skill_reaches_a_declared_host_through_the_bridge_and_the_proxy(folder: Path) -> None:
    socket_path = folder / "proxy.sock"
    events: list[ProxyEvent] = []
    with http_upstream() as web, echo_server() as echo_port:
        policy = ProxyPolicy(
            ("web.test", "echo.test"), None, http_ports=(web.port,), connect_ports=(echo_port,)
        )
        proxy = ProxyServer(
            policy,
            socket_path,
            events.append,
            resolver=FakeResolver(),
            check_address=allow_loopback,
        )
        with proxy, bridge_process(socket_path) as port:
            proxy_url = f"http://127.0.0.1:{port}"
            with httpx.Client(proxy=proxy_url, timeout=10, trust_env=False) as client:
                allowed = client.get(f"http://web.test:{web.port}/hello")
                refused = client.get(f"http://evil.test:{web.port}/")
            with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
                raw.sendall(f"CONNECT echo.test:{echo_port} HTTP/1.1\r\n\r\n".encode())
                assert read_head(raw).startswith(b"HTTP/1.1 200 ")
                raw.sendall(b"through the tunnel")
                assert raw.recv(100) == b"through the tunnel"
    assert allowed.status_code == 200 and allowed.json()["path"] == "/hello"
    assert refused.status_code == 403 and "not declared" in refused.text
    assert [(e.host, e.allowed) for e in events] == [
        ("web.test", True),
        ("evil.test", False),
        ("echo.test", True),
    ]


def test_the_bridge_command_line_says_how_to_call_it() -> None:
    result = subprocess.run(
        [sys.executable, "-I", str(BRIDGE_FILE)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2 and "usage: proxy_bridge.py SOCKET PORT" in result.stderr
