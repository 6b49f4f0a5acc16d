"""The proxy's HTTP parsing: strict, bounded, and the headers it forwards."""

from __future__ import annotations

import asyncio

import pytest

from tank.sandbox.proxy_http import (
    Framing,
    Head,
    ProxyHttpError,
    Target,
    check_host_header,
    client_response_head,
    parse_absolute_target,
    parse_connect_target,
    proxy_response,
    read_head,
    request_framing,
    status_of,
    upstream_request,
)


def head_of(data: bytes, *, max_bytes: int = 4096, max_headers: int = 20) -> Head:
    async def run() -> Head:
        reader = asyncio.StreamReader(limit=max_bytes + 2)
        reader.feed_data(data)
        reader.feed_eof()
        return await read_head(reader, max_bytes=max_bytes, max_headers=max_headers)

    return asyncio.run(run())


def test_a_head_is_read_with_names_and_values_as_sent() -> None:
    head = head_of(b"GET http://a.test/ HTTP/1.1\r\nHost: a.test\r\nX-A:  b c \t\r\n\r\nBODY")
    assert head.start == "GET http://a.test/ HTTP/1.1"
    assert head.headers == (("Host", "a.test"), ("X-A", "b c"))
    assert head.values("host") == ["a.test"]


@pytest.mark.parametrize(
    ("data", "status", "reason"),
    [
        (b"GET / HTTP/1.1\r\n" + b"X: " + b"a" * 5000 + b"\r\n\r\n", 431, "request head too large"),
        (
            b"GET / HTTP/1.1\r\n" + (b"X: " + b"a" * 1000 + b"\r\n") * 5 + b"\r\n",
            431,
            "request head too large",
        ),
        (b"GET / HTTP/1.1\r\n" + b"X: a\r\n" * 21 + b"\r\n", 431, "too many headers"),
        (b"GET / HTTP/1.1\nX: a\r\n\r\n", 400, "malformed request"),
        (b"\r\n", 400, "malformed request"),
        (b"GET / HTTP/1.1\r\nX: a", 400, "malformed request"),
        (b"GET / HTTP/1.1\r\nbad line\r\n\r\n", 400, "malformed request"),
        (b"GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", 400, "malformed request"),
    ],
)
def test_bad_heads_are_refused(data: bytes, status: int, reason: str) -> None:
    with pytest.raises(ProxyHttpError) as caught:
        head_of(data)
    assert (caught.value.status, caught.value.reason) == (status, reason)


def test_exactly_the_header_limit_is_accepted() -> None:
    head = head_of(b"GET / HTTP/1.1\r\n" + b"X: a\r\n" * 20 + b"\r\n")
    assert len(head.headers) == 20


def test_a_peer_that_sends_nothing_is_not_a_request() -> None:
    with pytest.raises(asyncio.IncompleteReadError):
        head_of(b"")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("api.acme.dev:443", ("api.acme.dev", 443)),
        ("API.Acme.Dev.:443", ("api.acme.dev", 443)),
        ("[::1]:443", ("::1", 443)),
        ("10.0.0.5:8443", ("10.0.0.5", 8443)),
    ],
)
def test_connect_targets(text: str, expected: tuple[str, int]) -> None:
    target = parse_connect_target(text)
    assert (target.host, target.port) == expected


@pytest.mark.parametrize(
    "text",
    [
        "api.acme.dev",
        "api.acme.dev:",
        "api.acme.dev:99999",
        "0x7f.1:443",
        "2130706433:443",
        "user@api.acme.dev:443",
        "[api.acme.dev]:443",
        "api_x.dev:443",
        "::1:443",
        "*.acme.dev:443",
    ],
)
def test_bad_connect_targets(text: str) -> None:
    with pytest.raises(ProxyHttpError) as caught:
        parse_connect_target(text)
    assert caught.value.status == 400


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("http://a.test/x?y=1", Target("a.test", 80, "/x?y=1")),
        ("HTTP://A.test:8080", Target("a.test", 8080, "/")),
        ("http://a.test?q", Target("a.test", 80, "/?q")),
        ("http://[2606:4700::1111]/", Target("2606:4700::1111", 80, "/")),
    ],
)
def test_absolute_targets(text: str, expected: Target) -> None:
    assert parse_absolute_target(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "/x",
        "https://a.test/",
        "ftp://a.test/",
        "http://u:p@a.test/",
        "http:///x",
        "http://a.test/#frag",
        "a.test/x",
    ],
)
def test_bad_absolute_targets(text: str) -> None:
    with pytest.raises(ProxyHttpError):
        parse_absolute_target(text)


def test_the_host_header_must_name_the_uri() -> None:
    target = Target("a.test", 80, "/")
    check_host_header(Head("", (("Host", "A.test"),)), target)
    check_host_header(Head("", (("Host", "a.test:80"),)), target)
    check_host_header(Head("", ()), target)  # HTTP/1.0 without Host: the proxy writes it
    for bad in ("b.test", "a.test:81", "a.test@b.test"):
        with pytest.raises(ProxyHttpError):
            check_host_header(Head("", (("Host", bad),)), target)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ((), Framing(chunked=False, length=0)),
        ((("Content-Length", "12"),), Framing(chunked=False, length=12)),
        ((("Content-Length", "12"), ("content-length", "12")), Framing(chunked=False, length=12)),
        ((("Transfer-Encoding", "Chunked"),), Framing(chunked=True, length=0)),
    ],
)
def test_request_framing(headers: tuple[tuple[str, str], ...], expected: Framing) -> None:
    assert request_framing(Head("", headers)) == expected


@pytest.mark.parametrize(
    "headers",
    [
        (("Content-Length", "1"), ("Transfer-Encoding", "chunked")),
        (("Content-Length", "1"), ("Content-Length", "2")),
        (("Content-Length", "-1"),),
        (("Content-Length", "0x10"),),
        (("Content-Length", "9" * 19),),
        (("Content-Length", "\u00b2"),),
        (("Content-Length", "+5"),),
        (("Transfer-Encoding", "gzip, chunked"),),
        (("Transfer-Encoding", "chunked"), ("Transfer-Encoding", "chunked")),
    ],
)
def test_ambiguous_framing_is_refused(headers: tuple[tuple[str, str], ...]) -> None:
    with pytest.raises(ProxyHttpError):
        request_framing(Head("", headers))


def test_the_upstream_request_drops_hop_by_hop_and_names_the_checked_host() -> None:
    head = Head(
        "POST http://a.test:8080/p HTTP/1.1",
        (
            ("Host", "a.test:8080"),
            ("Connection", "keep-alive, X-Hop"),
            ("X-Hop", "1"),
            ("Proxy-Authorization", "Basic eA=="),
            ("Content-Length", "3"),
            ("Expect", "100-continue"),
            ("Accept", "*/*"),
        ),
    )
    sent = upstream_request("POST", head, Target("a.test", 8080, "/p"), Framing(False, 3))
    assert sent == (
        b"POST /p HTTP/1.1\r\nHost: a.test:8080\r\nAccept: */*\r\nContent-Length: 3\r\n"
        b"Connection: close\r\n\r\n"
    )


def test_the_relayed_response_keeps_its_framing_and_closes() -> None:
    head = Head(
        "HTTP/1.1 200 OK",
        (
            ("Connection", "keep-alive, Content-Length"),
            ("Keep-Alive", "timeout=5"),
            ("Content-Length", "2"),
            ("X-A", "b"),
        ),
    )
    assert status_of(head) == 200
    assert client_response_head(head, final=True) == (
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A: b\r\nConnection: close\r\n\r\n"
    )
    with pytest.raises(ProxyHttpError):
        status_of(Head("SSH-2.0-OpenSSH", ()))


def test_the_proxys_own_answers() -> None:
    answer = proxy_response(403, "host not declared: evil.test")
    assert answer.startswith(b"HTTP/1.1 403 Forbidden\r\n")
    assert b"Connection: close" in answer
    assert answer.endswith(b"\r\n\r\ntank sandbox proxy: host not declared: evil.test\n")
