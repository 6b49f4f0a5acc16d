"""HTTP/1.x for the sandbox's proxy: bounded reading and strict parsing of message heads.

Everything here reads what the sandboxed code (or an upstream server) sends, so every read is
bounded: a head is at most ``max_bytes`` bytes and ``max_headers`` lines, each line ends with
CRLF, and anything the grammar does not allow is a :class:`ProxyHttpError` carrying the status
the proxy answers with. Deliberately strict (RFC 9112 without the tolerances): no bare LF, no
obsolete line folding, no whitespace before a colon, one ``Host``, no request with both
``Content-Length`` and ``Transfer-Encoding`` — the ambiguities request smuggling is built on.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Final

from tank.core.permissions import canonical_host

_TCHARS: Final = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_REQUEST_LINE: Final = re.compile(rf"({_TCHARS}) ([\x21-\x7e]+) HTTP/(1\.[01])")
_STATUS_LINE: Final = re.compile(r"HTTP/1\.[01] ([1-5][0-9][0-9])(?: [\t\x20-\x7e\x80-\xff]*)?")
_HEADER: Final = re.compile(rf"({_TCHARS}):[ \t]*([\t\x20-\x7e\x80-\xff]*?)[ \t]*")
_AUTHORITY: Final = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[^\[\]:@/?#]+)(?::([0-9]{1,5}))?")
_ABSOLUTE: Final = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([/?][^#]*)?")
_DIGITS: Final = re.compile(r"[0-9]{1,18}")
_CHUNK_SIZE: Final = re.compile(rb"([0-9A-Fa-f]{1,16})(?:[ \t]*;[\t\x20-\x7e]*)?\r\n")

#: Headers that describe one connection, never forwarded (RFC 9110 §7.6.1), plus the
#: headers the proxy writes itself (``Host``, the framing, ``Expect``).
HOP_BY_HOP: Final = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "upgrade",
        "transfer-encoding",
        "content-length",
        "expect",
        "host",
    }
)

#: At most this many interim (1xx) answers before the final one.
MAX_INTERIM: Final = 8


class ProxyHttpError(Exception):
    """A request the proxy refuses: the HTTP ``status`` to answer, a short stable ``reason``
    (the event's reason) and a ``detail`` naming what was wrong."""

    def __init__(self, status: int, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.status = status
        self.reason = reason
        self.detail = detail


def malformed(detail: str) -> ProxyHttpError:
    """A 400 answer for a request that breaks the grammar."""
    return ProxyHttpError(400, "malformed request", detail)


@dataclass(frozen=True)
class Head:
    """The start line and header fields of one message, names as sent."""

    start: str
    headers: tuple[tuple[str, str], ...]

    def values(self, name: str) -> list[str]:
        """Every value of the header ``name`` (case-insensitive), in order."""
        lowered = name.lower()
        return [value for key, value in self.headers if key.lower() == lowered]


async def read_head(reader: asyncio.StreamReader, *, max_bytes: int, max_headers: int) -> Head:
    """Read one message head (start line, header lines, empty line) from ``reader``.

    The reader's own limit must be at least ``max_bytes`` (it bounds one line). Raises
    :class:`ProxyHttpError` (400 / 431) on anything malformed or too large, and
    :class:`asyncio.IncompleteReadError` when the peer closes without sending a byte (a
    close mid-head is a 400).
    """
    lines: list[str] = []
    total = 0
    while True:
        try:
            raw = await reader.readuntil(b"\n")
        except asyncio.IncompleteReadError as error:
            if total or error.partial:
                raise malformed("closed mid-request") from None
            raise
        except asyncio.LimitOverrunError:
            raise ProxyHttpError(431, "request head too large", f"over {max_bytes} bytes") from None
        total += len(raw)
        if total > max_bytes:
            raise ProxyHttpError(431, "request head too large", f"over {max_bytes} bytes")
        if not raw.endswith(b"\r\n"):
            raise malformed("a line ends with a bare LF; HTTP lines end with CRLF")
        line = raw[:-2].decode("latin-1")
        if not line:
            if not lines:
                raise malformed("empty request line")
            break
        if len(lines) > max_headers:
            raise ProxyHttpError(431, "too many headers", f"more than {max_headers} header lines")
        lines.append(line)
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        match = _HEADER.fullmatch(line)
        if match is None:
            raise malformed(f"invalid header line {line[:80]!r}")
        headers.append((match[1], match[2]))
    return Head(lines[0], tuple(headers))


def head_bytes(head: Head) -> bytes:
    """``head`` as the lines it was read from (latin-1, CRLF), for an observer."""
    lines = [head.start, *(f"{name}: {value}" for name, value in head.headers)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


@dataclass(frozen=True)
class Target:
    """Where a request goes: the canonical host, the port, and (plain HTTP) the path."""

    host: str
    port: int
    path: str = ""

    @property
    def authority(self) -> str:
        """``host:port`` with IPv6 addresses in brackets."""
        return f"{bracketed(self.host)}:{self.port}"


def bracketed(host: str) -> str:
    """``host`` as written in a URI (IPv6 addresses in brackets)."""
    return f"[{host}]" if ":" in host else host


def parse_request_line(start: str) -> tuple[str, str]:
    """``(method, target)`` of a request line, or a 400."""
    match = _REQUEST_LINE.fullmatch(start)
    if match is None:
        raise malformed(f"invalid request line {start[:120]!r}")
    return match[1], match[2]


def parse_authority(text: str, *, default_port: int | None) -> tuple[str, int]:
    """``(canonical host, port)`` of ``host[:port]``, or a 400.

    The host is canonicalised with tank's own host rules (lower case, no trailing dot, no
    numeric "names" such as ``2130706433``), so the host the proxy matches is the host it
    resolves.
    """
    match = _AUTHORITY.fullmatch(text)
    if match is None:
        raise malformed(f"invalid host and port {text[:120]!r}")
    host = canonical_host(match[1])
    if host is None:
        raise malformed(f"{match[1][:120]!r} is not a host name or IP address")
    if match[2] is None:
        if default_port is None:
            raise malformed(f"{text[:120]!r} names no port")
        return host, default_port
    port = int(match[2])
    if not 0 < port < 65536:
        raise malformed(f"port {port} is out of range")
    return host, port


def parse_connect_target(target: str) -> Target:
    """The authority-form target of ``CONNECT host:port``."""
    host, port = parse_authority(target, default_port=None)
    return Target(host, port)


def parse_absolute_target(target: str) -> Target:
    """The absolute-form target ``http://host[:port]/path?query`` of a plain HTTP request."""
    match = _ABSOLUTE.fullmatch(target)
    if match is None:
        if target.startswith("/"):
            raise malformed("origin-form target: a proxy request names the full http:// URI")
        raise malformed(f"invalid request target {target[:120]!r}")
    scheme = match[1].lower()
    if scheme != "http":
        raise malformed(f"scheme {scheme!r}: send https through CONNECT, plain http as a URI")
    if "@" in match[2]:
        raise malformed("user information in the URI is not allowed")
    host, port = parse_authority(match[2], default_port=80)
    path = match[3] or "/"
    if path.startswith("?"):
        path = "/" + path
    return Target(host, port, path)


def check_host_header(head: Head, target: Target) -> None:
    """Refuse a request whose ``Host`` header names another host or port than its URI."""
    hosts = head.values("host")
    if len(hosts) > 1:
        raise malformed("more than one Host header")
    if hosts:
        named = parse_authority(hosts[0], default_port=80)
        if named != (target.host, target.port):
            raise malformed(f"the Host header names {hosts[0]!r}, the URI {target.authority}")


@dataclass(frozen=True)
class Framing:
    """How a request body is delimited: ``chunked``, or ``length`` bytes (0: no body)."""

    chunked: bool
    length: int


def request_framing(head: Head) -> Framing:
    """The body framing of a request; ambiguous or unsupported framing is refused."""
    codings = [
        v.strip().lower() for value in head.values("transfer-encoding") for v in value.split(",")
    ]
    lengths = [v.strip() for value in head.values("content-length") for v in value.split(",")]
    if codings and lengths:
        raise malformed("both Transfer-Encoding and Content-Length")
    if codings:
        if codings != ["chunked"]:
            raise ProxyHttpError(501, "malformed request", f"transfer coding {codings!r}")
        return Framing(chunked=True, length=0)
    if not lengths:
        return Framing(chunked=False, length=0)
    # A regex, not str.isdigit(): that accepts "²" and other digits int() refuses.
    if len(set(lengths)) != 1 or _DIGITS.fullmatch(lengths[0]) is None:
        raise malformed(f"invalid Content-Length {lengths!r}")
    return Framing(chunked=False, length=int(lengths[0]))


def connection_tokens(head: Head) -> set[str]:
    """The header names listed in ``Connection`` (lower case): hop-by-hop for this message."""
    return {t.strip().lower() for value in head.values("connection") for t in value.split(",")}


def upstream_request(method: str, head: Head, target: Target, framing: Framing) -> bytes:
    """The request head sent upstream: origin-form, ``Host`` from the checked URI, the
    client's end-to-end headers, the framing the proxy relays, and ``Connection: close``."""
    dropped = HOP_BY_HOP | connection_tokens(head)
    host = bracketed(target.host) + ("" if target.port == 80 else f":{target.port}")
    lines = [f"{method} {target.path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in head.headers if name.lower() not in dropped]
    if framing.chunked:
        lines.append("Transfer-Encoding: chunked")
    elif framing.length or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {framing.length}")
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def wants_continue(head: Head) -> bool:
    """Whether the client waits for ``100 Continue`` before sending its body."""
    return any(v.strip().lower() == "100-continue" for v in head.values("expect"))


def status_of(head: Head) -> int:
    """The status code of a response head, or a 502 when the start line is not one."""
    match = _STATUS_LINE.fullmatch(head.start)
    if match is None:
        raise ProxyHttpError(502, "bad upstream response", f"status line {head.start[:80]!r}")
    return int(match[1])


def client_response_head(head: Head, *, final: bool) -> bytes:
    """The upstream response head as relayed: per-connection headers dropped (its framing
    kept, since the body is relayed byte for byte) and, on the final answer,
    ``Connection: close``."""
    dropped = (_RESPONSE_HOP | connection_tokens(head)) - {"content-length", "transfer-encoding"}
    lines = [head.start]
    lines += [f"{name}: {value}" for name, value in head.headers if name.lower() not in dropped]
    if final:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


_RESPONSE_HOP: Final = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authenticate",
        "upgrade",
        "te",
        "trailer",
    }
)


def proxy_response(status: int, text: str) -> bytes:
    """A short plain-text answer from the proxy itself, closing the connection."""
    body = f"tank sandbox proxy: {text}\n".encode()
    phrase = _PHRASES.get(status, "Error")
    head = (
        f"HTTP/1.1 {status} {phrase}\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


_PHRASES: Final = {
    400: "Bad Request",
    403: "Forbidden",
    408: "Request Timeout",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


async def relay_chunked(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    *,
    max_line: int,
    max_trailers: int,
    timeout: float,
) -> None:
    """Copy one chunked body from ``reader`` to ``writer``, checking its framing, and stop
    at its end (bytes after it are never forwarded: no second, unchecked request)."""
    while True:
        line = await _bounded_line(reader, max_line, timeout)
        match = _CHUNK_SIZE.fullmatch(line)
        if match is None:
            raise malformed("invalid chunk size line")
        size = int(match[1], 16)
        writer.write(line)
        if size == 0:
            break
        await copy_exactly(reader, writer, size, timeout=timeout)
        end = await asyncio.wait_for(reader.readexactly(2), timeout)
        if end != b"\r\n":
            raise malformed("a chunk does not end with CRLF")
        writer.write(end)
    for _ in range(max_trailers + 1):
        line = await _bounded_line(reader, max_line, timeout)
        writer.write(line)
        if line == b"\r\n":
            return
    raise ProxyHttpError(431, "too many headers", f"more than {max_trailers} trailer lines")


async def copy_exactly(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, size: int, *, timeout: float
) -> None:
    """Copy exactly ``size`` bytes; each read must arrive within ``timeout`` seconds."""
    left = size
    while left:
        data = await asyncio.wait_for(reader.read(min(left, 65536)), timeout)
        if not data:
            raise malformed("the body ends before its declared length")
        writer.write(data)
        left -= len(data)
        await asyncio.wait_for(writer.drain(), timeout)


async def _bounded_line(reader: asyncio.StreamReader, max_line: int, timeout: float) -> bytes:
    try:
        line = await asyncio.wait_for(reader.readuntil(b"\n"), timeout)
    except asyncio.LimitOverrunError:
        raise malformed("a chunk line is too long") from None
    if len(line) > max_line or not line.endswith(b"\r\n"):
        raise malformed("a chunk line is too long or ends with a bare LF")
    return line
