"""A small OTLP/HTTP receiver on loopback: what a collector would see of Tank's telemetry.

It accepts ``POST /v1/traces`` and ``POST /v1/metrics`` (protobuf, gzip or not), keeps the raw
bytes (to look for what must never be sent) and decodes the traces with opentelemetry-proto.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MAX_BODY = 8 << 20


@dataclass
class Received:
    """Every request body by path, as sent (decompressed)."""

    bodies: dict[str, list[bytes]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def raw(self) -> bytes:
        """All bodies, concatenated."""
        with self.lock:
            return b"".join(b for bodies in self.bodies.values() for b in bodies)

    def spans(self) -> list[dict[str, Any]]:
        """Every span received: name, attributes (key -> value), status code, parent or not."""
        from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
            ExportTraceServiceRequest,
        )

        out: list[dict[str, Any]] = []
        with self.lock:
            bodies = list(self.bodies.get("/v1/traces", []))
        for body in bodies:
            request = ExportTraceServiceRequest()
            request.ParseFromString(body)
            for resource_spans in request.resource_spans:
                resource = {a.key: _value(a.value) for a in resource_spans.resource.attributes}
                for scope_spans in resource_spans.scope_spans:
                    for span in scope_spans.spans:
                        out.append(
                            {
                                "name": span.name,
                                "attributes": {a.key: _value(a.value) for a in span.attributes},
                                "status": span.status.code,
                                "has_parent": bool(span.parent_span_id),
                                "resource": resource,
                                "scope": scope_spans.scope.name,
                            }
                        )
        return out

    def metric_names(self) -> set[str]:
        """The names of the metrics received."""
        from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
            ExportMetricsServiceRequest,
        )

        names: set[str] = set()
        with self.lock:
            bodies = list(self.bodies.get("/v1/metrics", []))
        for body in bodies:
            request = ExportMetricsServiceRequest()
            request.ParseFromString(body)
            for resource_metrics in request.resource_metrics:
                for scope_metrics in resource_metrics.scope_metrics:
                    names.update(m.name for m in scope_metrics.metrics)
        return names


def _value(value: Any) -> Any:
    kind = value.WhichOneof("value")
    return getattr(value, kind) if kind else None


@contextmanager
def otlp_receiver() -> Iterator[tuple[str, Received]]:
    """A receiver on a free loopback port: ``(endpoint URL, what it received)``."""
    received = Received()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if self.path not in ("/v1/traces", "/v1/metrics") or not 0 <= length <= MAX_BODY:
                self.send_error(404 if length <= MAX_BODY else 413)
                return
            body = self.rfile.read(length)
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            with received.lock:
                received.bodies.setdefault(self.path, []).append(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()
