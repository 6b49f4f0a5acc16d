"""Helpers shared by the benchmark harnesses (install, registry): loopback ports, log tails,
multipart bodies. Plain functions, standard library only."""

from __future__ import annotations

import socket
import uuid
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tail(path: Path, lines: int = 30) -> str:
    """The last ``lines`` lines of a log, for error messages."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no output)"


def multipart(
    field_name: str, filename: str, data: bytes, fields: dict[str, str] | None = None
) -> tuple[bytes, str]:
    """A multipart/form-data body with text ``fields`` and one gzip file field, and its
    Content-Type."""
    boundary = uuid.uuid4().hex
    text = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in (fields or {}).items()
    )
    head = (
        f'{text}--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; '
        f'filename="{filename}"\r\nContent-Type: application/gzip\r\n\r\n'
    ).encode()
    return (
        head + data + f"\r\n--{boundary}--\r\n".encode(),
        f"multipart/form-data; boundary={boundary}",
    )
