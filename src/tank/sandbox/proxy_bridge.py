"""Inside the sandbox: forward a loopback TCP port to the proxy's bind-mounted Unix socket.

HTTP clients reach a proxy over TCP (``HTTPS_PROXY=http://127.0.0.1:PORT``), but the sandbox
has a network namespace of its own, so the proxy outside can only be reached through a Unix
socket bind-mounted into it. This bridge listens on ``127.0.0.1:PORT`` inside and copies bytes
both ways between each TCP connection and a new connection to the socket. It makes no
decision: the policy is enforced by the proxy outside, so a skill that kills or bypasses the
bridge gains nothing.

Standard library only. The launcher makes a :class:`Bridge` (listening) before it locks
itself down, forks, and serves it in the child; it also runs as a script::

    python -I /path/to/proxy_bridge.py SOCKET PORT

It prints the port (useful with ``0``: any free port) on a line of its own once it listens,
then serves until killed. One thread, ``selectors``: threads would count against the
sandbox's process limit.
"""

from __future__ import annotations

import contextlib
import errno
import selectors
import socket
import sys
import time
from pathlib import Path
from types import TracebackType

#: Bytes buffered per direction before the bridge stops reading from the sending side.
BUFFER = 65536
#: Seconds to wait for the proxy to accept a connection.
CONNECT_TIMEOUT = 5.0
#: Connections served at once; more are closed at once (the proxy has its own limit).
MAX_PAIRS = 256


class _End:
    """One socket of a forwarded pair, with the bytes waiting to be written to it."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.out = bytearray()
        self.eof = False  # the peer of this socket will send nothing more
        self.shut = False  # this socket's writing side is shut down
        self.peer: _End = self


class Bridge:
    """A listening bridge; :meth:`serve_forever` forwards until :meth:`close`."""

    def __init__(self, unix_socket: Path, port: int, host: str = "127.0.0.1") -> None:
        self.unix_socket = unix_socket
        self._listener = socket.create_server((host, port), backlog=128)
        self._listener.setblocking(False)
        self.port: int = self._listener.getsockname()[1]
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._selector = selectors.DefaultSelector()
        self._ends: dict[socket.socket, _End] = {}
        self._closing = False

    def __enter__(self) -> Bridge:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Ask :meth:`serve_forever` to return (from any thread); it closes every socket."""
        self._closing = True
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")

    def release(self) -> None:
        """Close this process's copies of the bridge's sockets without stopping it: the
        launcher's side, after forking the process that serves."""
        for sock in (self._listener, self._wake_r, self._wake_w):
            sock.close()
        self._selector.close()

    def serve_forever(self) -> None:
        """Forward connections until :meth:`close` is called."""
        self._selector.register(self._listener, selectors.EVENT_READ)
        self._selector.register(self._wake_r, selectors.EVENT_READ)
        try:
            while not self._closing:
                for key, mask in self._selector.select():
                    sock = key.fileobj
                    if sock is self._listener:
                        self._accept()
                    elif sock is self._wake_r:
                        continue
                    elif isinstance(sock, socket.socket) and sock in self._ends:
                        self._ready(self._ends[sock], mask)
        finally:
            for sock in [self._listener, self._wake_r, self._wake_w, *self._ends]:
                sock.close()
            self._ends.clear()
            self._selector.close()

    def _accept(self) -> None:
        try:
            client, _ = self._listener.accept()
        except BlockingIOError:
            return
        upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.setblocking(False)
        try:
            if len(self._ends) >= 2 * MAX_PAIRS:
                raise OSError(errno.EMFILE, "too many connections")
            _connect_unix(upstream, self.unix_socket)
        except OSError:
            # The proxy is gone or its queue is full: the client sees a closed connection.
            client.close()
            upstream.close()
            return
        one, two = _End(client), _End(upstream)
        one.peer, two.peer = two, one
        for end in (one, two):
            self._ends[end.sock] = end
            self._selector.register(end.sock, selectors.EVENT_READ)

    def _ready(self, end: _End, mask: int) -> None:
        try:
            if mask & selectors.EVENT_READ:
                self._read(end)
            if mask & selectors.EVENT_WRITE:
                self._write(end)
        except OSError:
            self._drop(end)
            return
        if end.eof and end.peer.eof and not end.out and not end.peer.out:
            self._drop(end)
            return
        self._interest(end)
        self._interest(end.peer)

    def _read(self, end: _End) -> None:
        try:
            data = end.sock.recv(BUFFER)
        except BlockingIOError:
            return
        if data:
            end.peer.out += data
            self._write(end.peer)
        else:
            end.peer.eof = True
            self._write(end.peer)

    def _write(self, end: _End) -> None:
        if end.out:
            try:
                sent = end.sock.send(end.out)
            except BlockingIOError:
                sent = 0
            del end.out[:sent]
        if end.eof and not end.out and not end.shut:
            end.sock.shutdown(socket.SHUT_WR)
            end.shut = True

    def _interest(self, end: _End) -> None:
        if end.sock not in self._ends:
            return
        events = 0
        if not end.peer.eof and len(end.peer.out) < BUFFER:
            events |= selectors.EVENT_READ
        if end.out:
            events |= selectors.EVENT_WRITE
        registered = end.sock in self._selector.get_map()
        if events and registered:
            self._selector.modify(end.sock, events)
        elif events:
            self._selector.register(end.sock, events)
        elif registered:
            # Nothing to do for now (its peer's buffer is full, or it is finished): a
            # registered socket with nothing wanted would make select spin on its hang-up.
            self._selector.unregister(end.sock)

    def _drop(self, end: _End) -> None:
        for one in (end, end.peer):
            if self._ends.pop(one.sock, None) is not None:
                if one.sock in self._selector.get_map():
                    self._selector.unregister(one.sock)
                one.sock.close()


def _connect_unix(sock: socket.socket, path: Path) -> None:
    """Connect ``sock`` to ``path``, waiting up to :data:`CONNECT_TIMEOUT` seconds while the
    proxy's accept queue is full, and leave it non-blocking.

    A Unix socket's connect fails at once with EAGAIN when the queue is full (with or
    without a timeout set), so the wait is a retry loop. It holds up this single-threaded
    bridge only while the proxy is overloaded.
    """
    sock.setblocking(False)
    deadline = time.monotonic() + CONNECT_TIMEOUT
    while True:
        try:
            sock.connect(str(path))
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.005)


def bridge(unix_socket: Path, port: int) -> Bridge:
    """Listen on ``127.0.0.1:port`` (0: any free port, see ``.port``), forwarding to
    ``unix_socket``; call ``serve_forever()`` on the result."""
    return Bridge(unix_socket, port)


def main(argv: list[str] | None = None) -> int:
    """``proxy_bridge.py SOCKET PORT``: print the port, then forward until killed."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or not args[1].isdigit():
        print("usage: proxy_bridge.py SOCKET PORT", file=sys.stderr)
        return 2
    with bridge(Path(args[0]), int(args[1])) as server:
        print(server.port, flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
