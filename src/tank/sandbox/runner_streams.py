"""The runner's reading threads: the skill's output (capped, held back until the launcher
is ready) and the launcher's JSON-line reports (bounded)."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from typing import IO, Any

from tank.sandbox import netlog

Sink = Callable[[bytes], None]
MAX_REPORT_LINE = 4096
MAX_REPORTS = 200


class Pump(threading.Thread):
    """Copy one pipe to a sink as data comes, keeping at most ``cap`` bytes."""

    def __init__(self, pipe: IO[bytes], sink: Sink | None, cap: int, on_cap: Callable[[], None]):
        super().__init__(daemon=True)
        self.pipe, self.sink, self.cap, self.on_cap = pipe, sink, cap, on_cap
        self.data = bytearray()
        self.held: bytearray | None = None  # output kept back until the launcher is ready
        self.lock = threading.Lock()

    def hold(self) -> None:
        self.held = bytearray()

    def release(self, forward: bool = True) -> bytes:
        with self.lock:
            held, self.held = bytes(self.held or b""), None
        if forward and held and self.sink is not None:
            self.sink(held)
        return held

    def run(self) -> None:
        total = 0
        while chunk := os.read(self.pipe.fileno(), 65536):
            total += len(chunk)
            if total > self.cap:
                chunk = chunk[: max(0, self.cap - (total - len(chunk)))]
                self.on_cap()
            with self.lock:
                self.data += chunk
                if self.held is not None:
                    self.held += chunk
                    continue
            if chunk and self.sink is not None:
                self.sink(chunk)
            if total > self.cap:
                break


class Reports(threading.Thread):
    """Read the launcher's JSON lines (bounded) and note when it is ready."""

    def __init__(self, fd: int, on_ready: Callable[[], None]) -> None:
        super().__init__(daemon=True)
        self.fd, self.on_ready = fd, on_ready
        self.ready: dict[str, Any] | None = None
        self.error: str | None = None
        self.denials = netlog.DenialLog()

    def run(self) -> None:
        with os.fdopen(self.fd, "rb") as stream:
            for count, line in enumerate(stream):
                if count >= MAX_REPORTS:
                    break
                try:
                    record = json.loads(line[:MAX_REPORT_LINE])
                except ValueError:
                    continue
                if not isinstance(record, dict):
                    continue
                event = record.get("event")
                if event == "ready" and self.ready is None:
                    self.ready = record
                    self.on_ready()
                elif event == "error" and self.ready is None:
                    self.error = str(record.get("message"))[:500]
                elif event == "denied" and self.ready is not None:
                    self.denials.add(
                        {k: str(record.get(k))[:300] for k in ("kind", "detail")}
                        | {"source": "launcher"}
                    )
