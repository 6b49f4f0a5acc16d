"""The sandbox's network proxy over real sockets: what it forwards, refuses, and reports.

Each test starts a real :class:`ProxyServer` on a Unix socket and real loopback upstreams.
To reach them, the tests inject a resolver (test names → 127.0.0.1) and an address check
that admits loopback; ``test_strict_default_*`` use the defaults a sandbox uses and show
that the same requests are refused.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tank.sandbox.proxy import (
    ProxyEvent,
    ProxyLimits,
    ProxyPolicy,
    ProxyServer,
    refuse_non_public,
    system_resolver,
)
from tests.functional.proxy_upstreams import (
    FakeResolver,
    HttpUpstream,
    allow_loopback,
    ask,
    connect,
    echo_server,
    http_upstream,
    read_all,
    read_head,
    short_socket_dir,
)


@pytest.fixture
def sock_path() -> Iterator[Path]:
    folder = short_socket_dir()
    yield folder / "proxy.sock"
    for child in folder.iterdir():
        child.unlink()
    folder.rmdir()


@pytest.fixture
def echo_port() -> Iterator[int]:
    with echo_server() as port:
        yield port


@pytest.fixture
def web() -> Iterator[HttpUpstream]:
    with http_upstream() as upstream:
        yield upstream


def start(
    sock_path: Path,
    hosts: tuple[str, ...],
    *,
    ports: tuple[int, ...] = (),
    rate: int | None = None,
    resolver: FakeResolver | None = None,
    limits: ProxyLimits | None = None,
    strict: bool = False,
) -> tuple[ProxyServer, list[ProxyEvent]]:
    """A proxy for ``hosts`` (``ports`` allowed for both kinds of request), to start with
    ``with``, and the list its events go to."""
    events: list[ProxyEvent] = []
    policy = ProxyPolicy(hosts, rate, connect_ports=ports or (443,), http_ports=ports or (80,))
    server = ProxyServer(
        policy,
        sock_path,
        events.append,
        resolver=resolver or FakeResolver(),
        check_address=refuse_non_public if strict else allow_loopback,
        limits=limits,
    )
    return server, events


def status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def body_json(answer: bytes) -> dict[str, str]:
    return json.loads(answer.split(b"\r\n\r\n", 1)[1])


def get(host: str, port: int, path: str = "/", extra: str = "") -> bytes:
    return f"GET http://{host}:{port}{path} HTTP/1.1\r\nHost: {host}:{port}\r\n{extra}\r\n".encode()


# -- allowed ---------------------------------------------------------------------------------


def test_connect_to_a_declared_host_opens_a_tunnel(sock_path: Path, echo_port: int) -> None:
    server, events = start(sock_path, ("echo.test",), ports=(echo_port,))
    with server, connect(sock_path) as client:
        client.sendall(f"CONNECT echo.test:{echo_port} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        assert read_head(client).startswith(b"HTTP/1.1 200 ")
        payload = os.urandom(300_000)
        client.sendall(payload)
        client.shutdown(socket.SHUT_WR)
        assert read_all(client) == payload
    [event] = events
    assert (event.host, event.port, event.method) == ("echo.test", echo_port, "CONNECT")
    assert event.allowed and event.reason == "allowed"
    assert event.detail == "matches echo.test" and event.address == "127.0.0.1"
    assert event.time.endswith("Z")


def test_plain_get_is_forwarded_with_hop_by_hop_headers_handled(
    sock_path: Path, web: HttpUpstream
) -> None:
    server, events = start(sock_path, ("web.test",), ports=(web.port,))
    extra = (
        "Connection: keep-alive, X-Secret-Hop\r\nX-Secret-Hop: 1\r\n"
        "Proxy-Authorization: Basic x\r\n"
        "Proxy-Connection: keep-alive\r\nTE: trailers\r\nUpgrade: websocket\r\nX-Kept: yes\r\n"
    )
    with server:
        answer = ask(sock_path, get("web.test", web.port, "/a/b?q=1", extra))
    assert status(answer) == 200
    assert body_json(answer)["path"] == "/a/b?q=1"  # origin-form upstream
    head = answer.split(b"\r\n\r\n")[0].lower()
    assert b"x-upstream: yes" in head and b"connection: close" in head
    assert b"keep-alive" not in head  # the upstream's per-connection header is not relayed
    [seen] = web.seen
    names = {name.lower(): value for name, value in seen.headers}
    assert names["host"] == f"web.test:{web.port}" and names["connection"] == "close"
    assert names["x-kept"] == "yes"
    for hop in ("x-secret-hop", "proxy-authorization", "proxy-connection", "te", "upgrade"):
        assert hop not in names
    assert [(e.method, e.allowed, e.reason) for e in events] == [("GET", True, "allowed")]


def test_plain_post_bodies_are_relayed_and_nothing_after_them(
    sock_path: Path, web: HttpUpstream
) -> None:
    server, _ = start(sock_path, ("web.test",), ports=(web.port,))
    smuggled = get("web.test", web.port, "/smuggled")
    sized = (
        f"POST http://web.test:{web.port}/sized HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
    ).encode()
    chunked = (
        f"POST http://web.test:{web.port}/chunked HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
        "Expect: 100-continue\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n"
    ).encode()
    with server:
        first = ask(sock_path, sized + smuggled)
        second = ask(sock_path, chunked + smuggled)
    assert body_json(first)["body"] == "hello"
    assert second.startswith(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 ")
    assert json.loads(second.split(b"\r\n\r\n", 2)[2])["body"] == "abcde"
    assert [seen.path for seen in web.seen] == ["/sized", "/chunked"]  # never /smuggled


def test_a_wildcard_pattern_allows_sub_domains_only(sock_path: Path, web: HttpUpstream) -> None:
    resolver = FakeResolver()
    server, events = start(sock_path, ("*.acme.test",), ports=(web.port,), resolver=resolver)
    with server:
        answers = {
            host: status(ask(sock_path, get(host, web.port)))
            for host in (
                "api.acme.test",
                "a.b.acme.test",
                "acme.test",
                "evilacme.test",
                "acme.test.evil.test",
            )
        }
    assert answers == {
        "api.acme.test": 200,
        "a.b.acme.test": 200,
        "acme.test": 403,
        "evilacme.test": 403,
        "acme.test.evil.test": 403,
    }
    assert resolver.asked == ["api.acme.test", "a.b.acme.test"]  # undeclared: never resolved
    assert [e.reason for e in events if not e.allowed] == ["host not declared"] * 3


def test_the_checked_address_is_connected_to_without_resolving_again(
    sock_path: Path, web: HttpUpstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolver = FakeResolver()
    server, events = start(sock_path, ("web.test",), ports=(web.port,), resolver=resolver)

    def no_dns(*args: object, **kwargs: object) -> object:
        raise AssertionError(f"the proxy resolved {args[0]!r} a second time")

    with server:
        monkeypatch.setattr(socket, "getaddrinfo", no_dns)
        answer = ask(sock_path, get("web.test", web.port))
    assert status(answer) == 200
    assert resolver.asked == ["web.test"]
    assert events[0].address == "127.0.0.1"


# -- refused ---------------------------------------------------------------------------------


def test_an_undeclared_host_is_refused_with_403_and_an_event(
    sock_path: Path, echo_port: int
) -> None:
    resolver = FakeResolver()
    server, events = start(sock_path, ("api.acme.test",), ports=(echo_port,), resolver=resolver)
    with server:
        answer = ask(sock_path, f"CONNECT evil.test:{echo_port} HTTP/1.1\r\n\r\n".encode())
    assert status(answer) == 403
    assert b"evil.test is not declared" in answer
    [event] = events
    assert (event.host, event.method, event.allowed, event.reason) == (
        "evil.test",
        "CONNECT",
        False,
        "host not declared",
    )
    assert resolver.asked == []


def test_ports_other_than_the_policys_are_refused(sock_path: Path) -> None:
    server, events = start(sock_path, ("api.acme.test",))  # default: CONNECT 443, HTTP 80
    with server:
        ssh = ask(sock_path, b"CONNECT api.acme.test:22 HTTP/1.1\r\n\r\n")
        http_on_443 = ask(sock_path, get("api.acme.test", 443))
    assert status(ssh) == 403 and status(http_on_443) == 403
    assert [e.reason for e in events] == ["port not allowed", "port not allowed"]


@pytest.mark.parametrize(
    "answer",
    [
        ["10.0.0.5"],
        ["127.0.0.1"],
        ["::1"],
        ["::ffff:127.0.0.1"],
        ["169.254.169.254"],  # cloud metadata
        ["100.64.0.1"],  # carrier-grade NAT
        ["64:ff9b::a00:5"],  # NAT64 form of 10.0.0.5
        ["93.184.216.34", "127.0.0.1"],  # one bad address is enough
        ["not-an-address"],
        [],
    ],
)
def test_strict_default_refuses_a_declared_host_resolving_to_a_non_public_address(
    sock_path: Path, answer: list[str]
) -> None:
    resolver = FakeResolver(answer=answer)
    server, events = start(sock_path, ("api.acme.test",), resolver=resolver, strict=True)
    with server:
        refused = ask(sock_path, b"CONNECT api.acme.test:443 HTTP/1.1\r\n\r\n")
    assert status(refused) == 403
    [event] = events
    assert not event.allowed and event.reason == "address not public"
    assert event.address == ""


def test_strict_default_refuses_declared_ip_literals_and_localhost(sock_path: Path) -> None:
    events: list[ProxyEvent] = []
    policy = ProxyPolicy(("127.0.0.1", "localhost", "::1"), None)
    with ProxyServer(policy, sock_path, events.append) as server:
        assert server.resolver is system_resolver and server.check_address is refuse_non_public
        answers = [
            ask(sock_path, b"CONNECT 127.0.0.1:443 HTTP/1.1\r\n\r\n"),
            ask(sock_path, b"CONNECT [::1]:443 HTTP/1.1\r\n\r\n"),
            ask(sock_path, b"CONNECT localhost:443 HTTP/1.1\r\n\r\n"),  # /etc/hosts, no network
        ]
    assert [status(a) for a in answers] == [403, 403, 403]
    assert [e.reason for e in events] == ["address not public"] * 3


def test_the_rate_limit_refuses_with_429_over_a_sliding_minute(
    sock_path: Path, web: HttpUpstream
) -> None:
    server, events = start(sock_path, ("web.test",), ports=(web.port,), rate=2)
    with server:
        undeclared = ask(sock_path, get("other.test", web.port))  # takes no place
        answers = [status(ask(sock_path, get("web.test", web.port))) for _ in range(3)]
    assert status(undeclared) == 403
    assert answers == [200, 200, 429]
    assert events[-1].reason == "rate limit" and not events[-1].allowed
    assert len(web.seen) == 2


def test_oversized_heads_and_too_many_headers_are_refused(sock_path: Path) -> None:
    limits = ProxyLimits(max_head_bytes=1024, max_headers=10)
    server, events = start(sock_path, ("web.test",), limits=limits)
    with server:
        big = ask(sock_path, get("web.test", 80, extra="X-Big: " + "a" * 2000 + "\r\n"))
        many = ask(sock_path, get("web.test", 80, extra="X-A: 1\r\n" * 11))
        endless = ask(sock_path, b"GET http://web.test/ HTTP/1.1\r\n" + b"X: y" * 100_000)
        ok = ask(sock_path, get("web.test", 80, extra="X-A: 1\r\n" * 9))
    assert [status(big), status(many), status(endless)] == [431, 431, 431]
    assert status(ok) != 431
    assert [e.reason for e in events[:3]] == [
        "request head too large",
        "too many headers",
        "request head too large",
    ]


@pytest.mark.parametrize(
    ("request_bytes", "fragment"),
    [
        (b"GET http://web.test/ HTTP/1.1\nHost: web.test\n\n", b"bare LF"),
        (b"BLAH\r\n\r\n", b"invalid request line"),
        (b"GET / HTTP/1.1\r\nHost: web.test\r\n\r\n", b"origin-form"),
        (b"GET https://web.test/ HTTP/1.1\r\n\r\n", b"CONNECT"),
        (b"GET http://user@web.test/ HTTP/1.1\r\n\r\n", b"user information"),
        (b"GET http://web.test/ HTTP/1.1\r\nHost: evil.test\r\n\r\n", b"Host header names"),
        (b"GET http://web.test/ HTTP/1.1\r\nHost: web.test\r\nHost: web.test\r\n\r\n", b"more"),
        (
            b"POST http://web.test/ HTTP/1.1\r\nContent-Length: 3\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n",
            b"both",
        ),
        (b"POST http://web.test/ HTTP/1.1\r\nContent-Length: 3, 4\r\n\r\n", b"Content-Length"),
        (b"GET http://web.test/ HTTP/1.1\r\nX-A: 1\r\n folded\r\n\r\n", b"invalid header"),
        (b"GET http://web.test/ HTTP/1.1\r\nX-A : 1\r\n\r\n", b"invalid header"),
        (b"GET http://2130706433/ HTTP/1.1\r\n\r\n", b"not a host name"),
        (b"CONNECT web.test HTTP/1.1\r\n\r\n", b"names no port"),
        (b"CONNECT web.test:0 HTTP/1.1\r\n\r\n", b"out of range"),
        (b"CONNECT web.test:443 HTTP/2.0\r\n\r\n", b"invalid request line"),
        (b"GET http://web.test/\x00 HTTP/1.1\r\n\r\n", b"invalid request line"),
        (b"GET http://web.test/ HTTP/1.1\r\nX-A: a\x00b\r\n\r\n", b"invalid header"),
        (b"GET http://web.test/ HTTP/1.1\r\n", b"closed mid-request"),
    ],
)
def test_malformed_requests_are_refused_with_400(
    sock_path: Path, request_bytes: bytes, fragment: bytes
) -> None:
    resolver = FakeResolver()
    server, events = start(sock_path, ("web.test",), resolver=resolver)
    with server, connect(sock_path) as client:
        client.sendall(request_bytes)
        client.shutdown(socket.SHUT_WR)
        answer = read_all(client)
    assert status(answer) == 400, answer
    assert fragment in answer
    [event] = events
    assert not event.allowed and event.reason == "malformed request"
    assert resolver.asked == []


def test_a_chunked_body_with_bad_framing_is_cut_and_reported(
    sock_path: Path, web: HttpUpstream
) -> None:
    server, events = start(sock_path, ("web.test",), ports=(web.port,))
    bad = (
        f"POST http://web.test:{web.port}/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
    ).encode()
    with server:
        answer = ask(sock_path, bad)
    assert status(answer) == 400
    assert [(e.allowed, e.reason) for e in events] == [
        (True, "allowed"),
        (False, "malformed request"),
    ]
    assert web.seen == []


def test_a_client_that_sends_nothing_is_timed_out(sock_path: Path) -> None:
    limits = ProxyLimits(head_timeout=0.5)
    server, events = start(sock_path, ("web.test",), limits=limits)
    with server, connect(sock_path) as client:
        client.sendall(b"GET http://web.test/ HTTP/1.1\r\n")  # and then nothing
        began = time.monotonic()
        answer = read_all(client)
        waited = time.monotonic() - began
    assert status(answer) == 408
    assert 0.3 < waited < 5
    assert [e.reason for e in events] == ["idle timeout"]


def test_an_idle_tunnel_is_closed(sock_path: Path, echo_port: int) -> None:
    limits = ProxyLimits(idle_timeout=0.5)
    server, _ = start(sock_path, ("echo.test",), ports=(echo_port,), limits=limits)
    with server, connect(sock_path) as client:
        client.sendall(f"CONNECT echo.test:{echo_port} HTTP/1.1\r\n\r\n".encode())
        assert read_head(client).startswith(b"HTTP/1.1 200 ")
        client.sendall(b"ping")
        assert client.recv(4) == b"ping"
        began = time.monotonic()
        assert read_all(client) == b""  # closed by the proxy, not by us
        assert 0.3 < time.monotonic() - began < 5


def test_connections_over_the_limit_get_503(sock_path: Path, echo_port: int) -> None:
    limits = ProxyLimits(max_connections=1)
    server, events = start(sock_path, ("echo.test",), ports=(echo_port,), limits=limits)
    with server, connect(sock_path) as first:
        first.sendall(f"CONNECT echo.test:{echo_port} HTTP/1.1\r\n\r\n".encode())
        assert read_head(first).startswith(b"HTTP/1.1 200 ")
        second = ask(sock_path, f"CONNECT echo.test:{echo_port} HTTP/1.1\r\n\r\n".encode())
        assert status(second) == 503
    assert [e.reason for e in events] == ["allowed", "too many connections"]


def test_an_unreachable_upstream_is_a_502_connect_failed(sock_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server, events = start(sock_path, ("web.test",), ports=(port,))
    with server:
        answer = ask(sock_path, get("web.test", port))
    assert status(answer) == 502
    assert [(e.allowed, e.reason) for e in events] == [(False, "connect failed")]


def test_a_failing_event_handler_refuses_the_request(sock_path: Path, web: HttpUpstream) -> None:
    def broken(event: ProxyEvent) -> None:
        raise OSError("disk full")

    policy = ProxyPolicy(("web.test",), None, http_ports=(web.port,))
    with ProxyServer(
        policy, sock_path, broken, resolver=FakeResolver(), check_address=allow_loopback
    ):
        answer = ask(sock_path, get("web.test", web.port))
    assert status(answer) == 500
    assert web.seen == []


def test_the_socket_is_private_and_removed_on_exit(sock_path: Path) -> None:
    server, _ = start(sock_path, ())
    with server:
        assert stat.S_IMODE(sock_path.stat().st_mode) == 0o600
        with pytest.raises(OSError):
            ProxyServer(ProxyPolicy((), None), sock_path, print).start()  # already in use
    assert not sock_path.exists()
    server.close()  # twice is fine


def test_a_socket_path_too_long_is_refused_up_front(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="longer than 107 bytes"):
        ProxyServer(ProxyPolicy((), None), tmp_path / ("x" * 120), print)


def test_concurrent_clients_are_served_in_parallel(sock_path: Path, echo_port: int) -> None:
    server, events = start(sock_path, ("echo.test",), ports=(echo_port,))
    results: list[bytes] = []

    def one(n: int) -> None:
        with connect(sock_path) as client:
            client.sendall(f"CONNECT echo.test:{echo_port} HTTP/1.1\r\n\r\n".encode())
            read_head(client)
            client.sendall(str(n).encode() * 1000)
            client.shutdown(socket.SHUT_WR)
            results.append(read_all(client))

    with server:
        threads = [threading.Thread(target=one, args=(n,)) for n in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(results) == sorted(str(n).encode() * 1000 for n in range(10))
    assert len(events) == 10 and all(e.allowed for e in events)


def test_the_next_checked_address_is_tried_when_one_does_not_answer(
    sock_path: Path, web: HttpUpstream
) -> None:
    # The upstream listens on 127.0.0.1 only: 127.0.0.2 refuses the connection.
    resolver = FakeResolver(answer=["127.0.0.2", "127.0.0.1"])
    server, events = start(sock_path, ("web.test",), ports=(web.port,), resolver=resolver)
    with server:
        answer = ask(sock_path, get("web.test", web.port))
    assert status(answer) == 200
    assert events[0].address == "127.0.0.1"


def test_an_ipv6_upstream_is_reached_at_its_checked_address(sock_path: Path) -> None:
    listener = socket.socket(socket.AF_INET6)
    try:
        listener.bind(("::1", 0))
    except OSError:
        pytest.fail("this machine has no IPv6 loopback; the proxy's IPv6 path needs one")
    listener.listen(1)
    port = listener.getsockname()[1]

    def serve_once() -> None:
        conn, _ = listener.accept()
        with conn:
            assert conn.recv(100) == b"v6"
            conn.sendall(b"hello over v6")

    thread = threading.Thread(target=serve_once, daemon=True)
    thread.start()
    server, events = start(sock_path, ("v6.test",), ports=(port,), resolver=FakeResolver(["::1"]))
    with server, connect(sock_path) as client:
        client.sendall(f"CONNECT v6.test:{port} HTTP/1.1\r\n\r\n".encode())
        assert read_head(client).startswith(b"HTTP/1.1 200 ")
        client.sendall(b"v6")
        assert read_all(client) == b"hello over v6"
    thread.join(timeout=10)
    listener.close()
    assert events[0].address == "::1"


def test_an_http_10_request_without_host_gets_the_checked_host(
    sock_path: Path, web: HttpUpstream
) -> None:
    server, _ = start(sock_path, ("web.test",), ports=(web.port,))
    with server:
        answer = ask(sock_path, f"GET http://web.test:{web.port}/old HTTP/1.0\r\n\r\n".encode())
    assert status(answer) == 200
    [seen] = web.seen
    assert dict(seen.headers)["Host"] == f"web.test:{web.port}"


def test_an_upstream_that_does_not_speak_http_is_a_502(sock_path: Path, echo_port: int) -> None:
    # The echo server sends the request back: its first line is no status line.
    server, events = start(sock_path, ("echo.test",), ports=(echo_port,))
    with server:
        answer = ask(sock_path, get("echo.test", echo_port))
    assert status(answer) == 502
    assert [(e.allowed, e.reason) for e in events] == [
        (True, "allowed"),
        (False, "bad upstream response"),
    ]


def test_a_resolver_that_hangs_is_a_504_and_does_not_hold_up_close(sock_path: Path) -> None:
    release = threading.Event()
    events: list[ProxyEvent] = []

    def hanging(host: str, port: int) -> list[str]:
        release.wait(30)
        return ["127.0.0.1"]

    limits = ProxyLimits(connect_timeout=0.5)
    server = ProxyServer(
        ProxyPolicy(("slow.test",), None),
        sock_path,
        events.append,
        resolver=hanging,
        check_address=allow_loopback,
        limits=limits,
    )
    try:
        with server:
            answer = ask(sock_path, b"CONNECT slow.test:443 HTTP/1.1\r\n\r\n")
            began = time.monotonic()
        assert time.monotonic() - began < 5  # close() did not wait for the resolver
    finally:
        release.set()
    assert status(answer) == 504
    assert [e.reason for e in events] == ["resolve failed"]
