"""Moving bytes for the sandbox's proxy once a request is allowed: connecting to the checked
address, ``CONNECT`` tunnels, and forwarding one plain HTTP request and its response.

Every wait is bounded by the idle timeout; the plain request's body is relayed with its
framing checked and nothing after it (a second request hidden behind the first would reach the
upstream unchecked, perhaps for another virtual host on the same address).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from dataclasses import dataclass
from typing import Literal

from tank.sandbox.proxy_address import IPAddress
from tank.sandbox.proxy_http import (
    MAX_INTERIM,
    Framing,
    Head,
    ProxyHttpError,
    Target,
    check_host_header,
    client_response_head,
    copy_exactly,
    parse_absolute_target,
    parse_connect_target,
    parse_request_line,
    read_head,
    relay_chunked,
    request_framing,
    status_of,
    upstream_request,
    wants_continue,
)
from tank.sandbox.proxy_policy import ProxyLimits

_CHUNK = 65536


@dataclass
class Request:
    """What is known of the request being decided (filled in as parsing goes on)."""

    method: str = ""
    host: str = ""
    port: int = 0
    pattern: str = ""
    address: str = ""


@dataclass(frozen=True)
class PlainRequest:
    """A parsed plain HTTP request (absolute-form URI)."""

    method: str
    head: Head
    target: Target
    framing: Framing


def parse_request(head: Head, request: Request) -> PlainRequest | None:
    """Parse the request head into ``request``; None for ``CONNECT``, else the plain request.

    Raises :class:`ProxyHttpError` for anything malformed (``request`` keeps what was read).
    """
    method, text = parse_request_line(head.start)
    request.method = method
    if method == "CONNECT":
        target = parse_connect_target(text)
        request.host, request.port = target.host, target.port
        return None
    target = parse_absolute_target(text)
    request.host, request.port = target.host, target.port
    check_host_header(head, target)
    return PlainRequest(method, head, target, request_framing(head))


async def connected(
    addresses: list[IPAddress], port: int, deadline: float, *, limit: int
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, IPAddress]:
    """Connect to the first of ``addresses`` that answers, before the loop time ``deadline``.

    Connects to the address objects themselves: nothing here resolves a name again.
    """
    loop = asyncio.get_running_loop()
    failures: list[str] = []
    for address in addresses:
        family = socket.AF_INET if address.version == 4 else socket.AF_INET6
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setblocking(False)
        try:
            async with asyncio.timeout_at(deadline):
                await loop.sock_connect(sock, (str(address), port))
        except TimeoutError:
            sock.close()
            raise ProxyHttpError(
                504, "connect failed", f"no connection to {address} port {port} in time"
            ) from None
        except OSError as error:
            sock.close()
            failures.append(f"{address}: {error.strerror or error}")
            continue
        reader, writer = await asyncio.open_connection(sock=sock, limit=limit)
        return reader, writer, address
    raise ProxyHttpError(502, "connect failed", "; ".join(failures) or "no address")


async def _pipe(
    source: asyncio.StreamReader,
    sink: asyncio.StreamWriter,
    idle: float,
    last: list[float],
) -> Literal["eof", "idle"]:
    """Copy until end of file ("eof") or until no byte moved anywhere for ``idle`` seconds.

    ``last`` is the loop time of the latest byte in either direction, shared by both pipes
    of a tunnel, so a download does not time out the quiet upload direction.
    """
    loop = asyncio.get_running_loop()
    while True:
        try:
            data = await asyncio.wait_for(source.read(_CHUNK), idle)
        except TimeoutError:
            if loop.time() - last[0] < idle:
                continue
            return "idle"
        if not data:
            with contextlib.suppress(OSError):
                if sink.can_write_eof():
                    sink.write_eof()
            return "eof"
        last[0] = loop.time()
        sink.write(data)
        await asyncio.wait_for(sink.drain(), idle)


async def tunnel(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    up_reader: asyncio.StreamReader,
    up_writer: asyncio.StreamWriter,
    limits: ProxyLimits,
) -> None:
    """Answer ``200 Connection Established`` and relay both ways until both ends close or
    the tunnel is idle."""
    writer.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
    await asyncio.wait_for(writer.drain(), limits.idle_timeout)
    last = [asyncio.get_running_loop().time()]
    pipes = {
        asyncio.ensure_future(_pipe(reader, up_writer, limits.idle_timeout, last)),
        asyncio.ensure_future(_pipe(up_reader, writer, limits.idle_timeout, last)),
    }
    try:
        while pipes:
            done, pipes = await asyncio.wait(pipes, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task.exception() is not None or task.result() == "idle":
                    return
    finally:
        for task in pipes:
            task.cancel()
        await asyncio.gather(*pipes, return_exceptions=True)


async def forward_plain(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    up_reader: asyncio.StreamReader,
    up_writer: asyncio.StreamWriter,
    plain: PlainRequest,
    limits: ProxyLimits,
) -> None:
    """Send the one request (head, then its body alone) upstream and relay the response."""
    idle = limits.idle_timeout
    if wants_continue(plain.head):
        # The proxy drops Expect (hop-by-hop here) and lets the body come at once.
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        await asyncio.wait_for(writer.drain(), idle)
    up_writer.write(upstream_request(plain.method, plain.head, plain.target, plain.framing))
    if plain.framing.chunked:
        await relay_chunked(
            reader,
            up_writer,
            max_line=limits.max_head_bytes,
            max_trailers=limits.max_headers,
            timeout=idle,
        )
    elif plain.framing.length:
        await copy_exactly(reader, up_writer, plain.framing.length, timeout=idle)
    await asyncio.wait_for(up_writer.drain(), idle)
    for _ in range(MAX_INTERIM + 1):
        try:
            head = await asyncio.wait_for(
                read_head(
                    up_reader,
                    max_bytes=limits.max_response_head_bytes,
                    max_headers=limits.max_headers,
                ),
                idle,
            )
        except ProxyHttpError as error:
            raise ProxyHttpError(502, "bad upstream response", error.detail) from None
        except asyncio.IncompleteReadError:
            raise ProxyHttpError(502, "bad upstream response", "closed before answering") from None
        status = status_of(head)
        if status == 101:
            raise ProxyHttpError(502, "bad upstream response", "101 without an Upgrade request")
        writer.write(client_response_head(head, final=status >= 200))
        if status >= 200:
            break
    else:
        raise ProxyHttpError(502, "bad upstream response", f"over {MAX_INTERIM} 1xx answers")
    await asyncio.wait_for(writer.drain(), idle)
    last = [asyncio.get_running_loop().time()]
    await _pipe(up_reader, writer, idle, last)
