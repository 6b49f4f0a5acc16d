"""The sandbox's network proxy: the only way out of a sandbox for declared hosts.

A sandboxed skill has no network of its own (a fresh network namespace, no DNS). Its
``HTTP_PROXY``/``HTTPS_PROXY`` point at a loopback port inside the sandbox, which
:mod:`tank.sandbox.proxy_bridge` forwards to a Unix socket bind-mounted from outside, where a
:class:`ProxyServer` listens. For each request the server decides, in this order:

1. the request is well formed and within :class:`ProxyLimits` (400, 408, 431);
2. the host matches a pattern of the policy (``host not declared``, 403);
3. the port is allowed: ``CONNECT`` to 443, plain HTTP to 80, unless the policy names
   other ports (``port not allowed``, 403);
4. the rate limit admits it (``rate limit``, 429);
5. the name resolves, here, outside the sandbox (``resolve failed``, 502) and **every**
   address passes the address check, by default public addresses only (``address not
   public``, 403);
6. a connection to one of exactly those addresses succeeds (``connect failed``, 502/504).

Every decision is a :class:`ProxyEvent` passed to ``on_event`` (called on the proxy's thread)
before any byte is forwarded; if ``on_event`` raises, the request is refused (fail closed).
``CONNECT`` opens a tunnel (``200 Connection Established``) whose bytes are relayed as they
are (TLS is not intercepted). A plain HTTP request is forwarded once, with hop-by-hop headers
removed, ``Host`` from the checked URI and ``Connection: close``; one request per connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import socket
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Final, Self

from tank.sandbox.proxy_address import (
    AddressCheck,
    IPAddress,
    Resolver,
    check_addresses,
    refuse_non_public,
    system_resolver,
)
from tank.sandbox.proxy_http import ProxyHttpError, head_bytes, proxy_response, read_head
from tank.sandbox.proxy_policy import (
    DEFAULT_CONNECT_PORTS,
    DEFAULT_HTTP_PORTS,
    ProxyEvent,
    ProxyLimits,
    ProxyPolicy,
    now_text,
)
from tank.sandbox.proxy_rate import RateWindow
from tank.sandbox.proxy_relay import Request, connected, forward_plain, parse_request, tunnel

__all__ = [
    "DEFAULT_CONNECT_PORTS",
    "DEFAULT_HTTP_PORTS",
    "AddressCheck",
    "ProxyEvent",
    "ProxyLimits",
    "ProxyPolicy",
    "ProxyServer",
    "Resolver",
    "refuse_non_public",
    "system_resolver",
]

log = logging.getLogger("tank.sandbox.proxy")

#: The longest Unix socket path Linux accepts (``sun_path`` is 108 bytes with its NUL).
MAX_SOCKET_PATH: Final = 107
#: After refusing, the proxy reads and drops this much of the client's input at most, for
#: at most this long, before closing (see ``_answer``).
LINGER_BYTES: Final = 1024 * 1024
LINGER_SECONDS: Final = 1.0
#: Names resolved at once (each blocks a worker thread in the system resolver).
RESOLVER_THREADS: Final = 4


class ProxyServer:
    """Serve HTTP ``CONNECT`` and plain HTTP on a Unix socket, in a background thread.

    Use as a context manager: the socket exists (mode 0600) when ``__enter__`` returns and
    is removed by ``__exit__``. ``resolver`` and ``check_address`` are the name resolution and
    the address policy; the defaults (the system resolver, public addresses only) are the
    ones a sandbox uses — tests inject others to reach a loopback server. ``observe``, when
    given, sees the bytes of each request head and of what a refused client still sends,
    with the host the request named ("" when it named none); the publish-time behaviour
    check looks for canary tokens in them. It decides nothing.
    """

    def __init__(
        self,
        policy: ProxyPolicy,
        socket_path: Path,
        on_event: Callable[[ProxyEvent], None],
        *,
        resolver: Resolver = system_resolver,
        check_address: AddressCheck = refuse_non_public,
        limits: ProxyLimits | None = None,
        observe: Callable[[str, bytes], None] | None = None,
    ) -> None:
        if len(os.fsencode(socket_path)) > MAX_SOCKET_PATH:
            raise ValueError(
                f"proxy socket path {socket_path} is longer than {MAX_SOCKET_PATH} bytes; "
                "put it in a short temporary folder"
            )
        self.policy = policy
        self.socket_path = socket_path
        self.on_event = on_event
        self.resolver = resolver
        self.check_address = check_address
        self.limits = limits or ProxyLimits()
        self.observe = observe
        self._rate = RateWindow(policy.max_requests_per_minute)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.AbstractServer | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._started = threading.Event()
        # Name resolution blocks a thread; a pool of our own bounds how many run at once and
        # lets close() return without waiting for a resolver that hangs.
        self._resolvers = ThreadPoolExecutor(RESOLVER_THREADS, thread_name_prefix="tank-proxy-dns")
        self._start_error: BaseException | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> None:
        """Create the socket and start serving; raises OSError when the socket cannot be made."""
        if self._thread is not None:
            raise RuntimeError("the proxy is already started")
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="tank-sandbox-proxy", daemon=True)
        self._thread.start()
        self._started.wait()
        if self._start_error is not None:
            self._thread.join()
            raise self._start_error

    def close(self) -> None:
        """Stop serving, end open tunnels, remove the socket. Safe to call twice."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        if thread.is_alive():
            loop.call_soon_threadsafe(self._stop)
            thread.join()
        self._loop = self._thread = None
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()

    def _run(self) -> None:
        loop = self._loop
        assert loop is not None
        asyncio.set_event_loop(loop)
        try:
            self._server = loop.run_until_complete(
                asyncio.start_unix_server(self._accept, sock=self._bind(), limit=self._line_limit)
            )
        except BaseException as error:  # handed to the starting thread
            self._start_error = error
            self._started.set()
            loop.close()
            return
        self._started.set()
        try:
            loop.run_forever()
        finally:
            for task in list(self._tasks):
                task.cancel()
            loop.run_until_complete(asyncio.gather(*self._tasks, return_exceptions=True))
            self._resolvers.shutdown(wait=False, cancel_futures=True)
            loop.close()

    def _bind(self) -> socket.socket:
        # Not asyncio's path=: it silently removes a socket file already there (another
        # proxy's, perhaps). bind() refuses an existing path instead.
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.bind(os.fspath(self.socket_path))
            # Between bind and chmod the mode follows the umask: the socket belongs in a
            # private (0700) folder, as a sandbox run's temporary folder is.
            self.socket_path.chmod(0o600)
            sock.listen(128)
        except BaseException:
            sock.close()
            raise
        return sock

    def _stop(self) -> None:
        if self._server is not None:
            self._server.close()
        self._loop_or_fail().stop()

    def _loop_or_fail(self) -> asyncio.AbstractEventLoop:
        assert self._loop is not None
        return self._loop

    @property
    def _line_limit(self) -> int:
        # One line of a head may be as long as the whole head; the reader needs that limit.
        return max(self.limits.max_head_bytes, self.limits.max_response_head_bytes) + 2

    # -- one connection --------------------------------------------------------------------

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        if len(self._tasks) >= self.limits.max_connections:
            self._emit(Request(), "too many connections", f"{len(self._tasks)} open already")
            await _answer(writer, 503, "too many open connections", reader)
            writer.close()
            return
        self._tasks.add(task)
        try:
            await self._serve(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, TimeoutError):
            pass  # the peer went away or went quiet mid-relay: nothing left to decide
        except asyncio.CancelledError:
            # close() ends open connections. Finish quietly: asyncio (3.11) reports a
            # cancelled connection handler as an unhandled error.
            pass
        finally:
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = Request()
        try:
            try:
                async with asyncio.timeout(self.limits.head_timeout):
                    head = await read_head(
                        reader,
                        max_bytes=self.limits.max_head_bytes,
                        max_headers=self.limits.max_headers,
                    )
            except TimeoutError:
                raise ProxyHttpError(408, "idle timeout", "no complete request in time") from None
            except asyncio.IncompleteReadError:
                return  # connected and closed without a word: no request to decide on
            try:
                parsed = parse_request(head, request)
            finally:
                self._see(request.host, head_bytes(head))
            upstream = await self._decide(request)
        except ProxyHttpError as error:
            self._emit(request, error.reason, error.detail)
            host = request.host

            def see(data: bytes) -> None:
                self._see(host, data)

            await _answer(writer, error.status, f"{error.reason}: {error.detail}", reader, see)
            return
        up_reader, up_writer, address = upstream
        try:
            request.address = str(address)
            if not self._emit(request, "allowed", f"matches {request.pattern}", allowed=True):
                await _answer(writer, 500, "the run's log could not record this request")
                return
            if parsed is None:
                await tunnel(reader, writer, up_reader, up_writer, self.limits)
            else:
                await forward_plain(reader, writer, up_reader, up_writer, parsed, self.limits)
        except ProxyHttpError as error:
            # A forwarded request whose body breaks its framing, or a broken upstream answer.
            self._emit(request, error.reason, error.detail)
            await _answer(writer, error.status, f"{error.reason}: {error.detail}")
        finally:
            up_writer.close()

    async def _decide(
        self, request: Request
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, IPAddress]:
        """Steps 2-6 of the module docs; raises :class:`ProxyHttpError` with the refusal."""
        request.pattern = self.policy.matching(request.host) or ""
        if not request.pattern:
            raise ProxyHttpError(
                403,
                "host not declared",
                f"{request.host} is not declared in permissions.network.outbound",
            )
        ports = self.policy.connect_ports if request.method == "CONNECT" else self.policy.http_ports
        if request.port not in ports:
            raise ProxyHttpError(
                403,
                "port not allowed",
                f"port {request.port} is not one of "
                f"{', '.join(map(str, ports))} for {request.method}",
            )
        if not self._rate.admit():
            raise ProxyHttpError(
                429, "rate limit", f"over {self.policy.max_requests_per_minute} requests per minute"
            )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.limits.connect_timeout
        addresses = await self._resolve(request, deadline)
        return await connected(addresses, request.port, deadline, limit=self._line_limit)

    async def _resolve(self, request: Request, deadline: float) -> list[IPAddress]:
        try:
            texts: list[str] = [str(ipaddress.ip_address(request.host))]
        except ValueError:
            loop = asyncio.get_running_loop()
            try:
                async with asyncio.timeout_at(deadline):
                    found = await loop.run_in_executor(
                        self._resolvers, self.resolver, request.host, request.port
                    )
                texts = list(found)
            except TimeoutError:
                raise ProxyHttpError(
                    504, "resolve failed", "the name did not resolve in time"
                ) from None
            except (OSError, UnicodeError) as error:
                raise ProxyHttpError(502, "resolve failed", f"{request.host}: {error}") from None
        addresses, refusal = check_addresses(texts, self.check_address)
        if refusal:
            raise ProxyHttpError(403, "address not public", f"{request.host}: {refusal}")
        return addresses

    def _see(self, host: str, data: bytes) -> None:
        """Hand ``data`` to the observer; an observer that fails is ignored (it decides nothing)."""
        if self.observe is None or not data:
            return
        try:
            self.observe(host, data)
        except Exception:
            log.exception("the proxy's observer failed")

    def _emit(self, request: Request, reason: str, detail: str, *, allowed: bool = False) -> bool:
        """Report one decision; False when ``on_event`` failed (the caller then refuses)."""
        event = ProxyEvent(
            time=now_text(),
            host=request.host,
            port=request.port,
            method=request.method,
            allowed=allowed,
            reason=reason,
            detail=detail,
            address=request.address,
        )
        try:
            self.on_event(event)
        except Exception:
            log.exception("the proxy's event handler failed on %s", event)
            return False
        return True


async def _answer(
    writer: asyncio.StreamWriter,
    status: int,
    text: str,
    reader: asyncio.StreamReader | None = None,
    see: Callable[[bytes], None] | None = None,
) -> None:
    """Send a proxy answer; the caller closes the connection.

    With ``reader``, the rest of what the client sends is read and dropped for a moment
    (at most :data:`LINGER_BYTES`, :data:`LINGER_SECONDS`): closing a socket with unread
    input resets it, and the client would lose the answer that says why it was refused.
    ``see`` is shown what is read (the observer of :class:`ProxyServer`).
    """
    with contextlib.suppress(ConnectionError, TimeoutError):
        writer.write(proxy_response(status, text))
        await asyncio.wait_for(writer.drain(), LINGER_SECONDS)
        if reader is None:
            return
        if writer.can_write_eof():
            writer.write_eof()
        async with asyncio.timeout(LINGER_SECONDS):
            dropped = 0
            while dropped < LINGER_BYTES and (data := await reader.read(65536)):
                dropped += len(data)
                if see is not None:
                    see(data)
