"""OpenTelemetry spans and metrics for Tank's own work: runs, installs, publishes, scans.

Off by default. On only when the standard OTLP endpoint variables say where to send
(``OTEL_EXPORTER_OTLP_ENDPOINT``, or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`` /
``OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`` for one signal) and ``OTEL_SDK_DISABLED`` is not
``true``; export is OTLP over HTTP (protobuf) only, whatever ``OTEL_EXPORTER_OTLP_PROTOCOL``
says. No Tank config key: the variables are the ones every collector's documentation names,
and an environment variable is what a CI job or an agent runtime sets most easily.

The packages come with the ``tank[telemetry]`` extra (``opentelemetry-api`` alone costs
~45 ms to import, the SDK and exporter ~200 ms: too much for ``tank run``'s start-up on every
call). When telemetry is off nothing of OpenTelemetry is imported: :func:`span` hands back a
do-nothing object after one look at the environment. Configured without the extra, Tank says
so once on stderr and carries on without telemetry.

What is recorded is metadata only: names, versions, counts, durations, verdicts and exit
codes. Never file contents, arguments, inputs, outputs, environment values or secrets; the
callers pass only such values and :func:`_clean` drops anything that is not a plain scalar.
An agent runtime that set up OpenTelemetry itself calls :func:`use` to send Tank's spans to
its own providers (tests pass the SDK's in-memory exporter's provider the same way).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

TRACES_VARS = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
METRICS_VARS = ("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
#: The instrumentation scope every span and instrument is recorded under.
SCOPE = "tank"
#: Each signal's export gives up after this many seconds, retries included (unless
#: ``OTEL_EXPORTER_OTLP_TIMEOUT`` says otherwise): a collector that does not answer must not
#: hold a finished ``tank run`` long (traces then metrics: 3 s at most in all).
EXPORT_TIMEOUT = 1.5
_MAX_TEXT = 256
#: Resource attributes dropped whatever detector added them.
_NEVER = ("process.command", "process.environ", "process.owner")

Attribute = str | int | float | bool


class Span:
    """The span a ``with span(...)`` block records (a do-nothing one when telemetry is off)."""

    __slots__ = ("_span",)

    def __init__(self, inner: Any = None) -> None:
        self._span = inner

    def set(self, key: str, value: object) -> None:
        """Set one attribute (``None`` and non-scalar values are left out)."""
        if self._span is not None:
            for k, v in _clean({key: value}).items():
                self._span.set_attribute(k, v)


_OFF = Span()


class _On:
    """The tracer and meter in use, and the instruments made so far (by name)."""

    def __init__(self, tracer: Any, meter: Any) -> None:
        self.tracer, self.meter = tracer, meter
        self.instruments: dict[str, Any] = {}


#: Empty: not decided yet; ``[None]``: off; else the providers' tracer and meter. A list so
#: that :func:`use` and :func:`reset` change it in place (no ``global``).
_STATE: list[_On | None] = []


def configured(environ: Mapping[str, str]) -> bool:
    """Whether ``environ`` turns telemetry on (an OTLP endpoint set, the SDK not disabled)."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    return any(environ.get(name, "").strip() for name in (*TRACES_VARS, *METRICS_VARS))


def _clean(attributes: Mapping[str, object]) -> dict[str, Attribute]:
    """Only plain scalars, strings cut to a bounded length; ``None`` left out."""
    out: dict[str, Attribute] = {}
    for key, value in attributes.items():
        if isinstance(value, bool | int | float):
            out[key] = value
        elif isinstance(value, str):
            out[key] = value[:_MAX_TEXT]
    return out


def _timeout(environ: Mapping[str, str]) -> float | None:
    """Ours, unless ``OTEL_EXPORTER_OTLP_TIMEOUT`` is set (then the exporter reads it)."""
    return None if environ.get("OTEL_EXPORTER_OTLP_TIMEOUT") else EXPORT_TIMEOUT


def _from_environment(environ: Mapping[str, str]) -> _On | None:
    """Providers exporting over OTLP/HTTP to the configured endpoints (None: no extra)."""
    try:
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
    except ImportError:
        sys.stderr.write(
            "tank: note: an OTEL_EXPORTER_OTLP_* endpoint is set but OpenTelemetry is not "
            "installed (pip install 'tank[telemetry]'); no telemetry is sent\n"
        )
        return None
    from tank import __version__

    fields: dict[str, Attribute] = {"service.version": __version__}
    if not os.environ.get("OTEL_SERVICE_NAME"):  # Resource.create reads os.environ
        fields["service.name"] = "tank"
    created = Resource.create(fields)
    # A resource detector the user enables may add the command line or environment: they
    # hold arguments and secrets, which Tank never sends.
    kept = {k: v for k, v in created.attributes.items() if not k.startswith(_NEVER)}
    resource = Resource(kept, created.schema_url)
    import logging  # here: ~10 ms with traceback, which the off path never needs

    # The exporter logs each retry as a warning; the final failure (an error) is enough.
    logging.getLogger("opentelemetry.exporter").setLevel(logging.ERROR)
    timeout = _timeout(environ)
    tracer_provider = meter_provider = None
    if any(environ.get(name, "").strip() for name in TRACES_VARS):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        tracer_provider = TracerProvider(resource=resource)
        tracer_provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(timeout=timeout)))
    if any(environ.get(name, "").strip() for name in METRICS_VARS):
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader

        # One export at exit (the SDK's providers shut down at exit by default): a CLI
        # process lives seconds, a long interval keeps it from exporting twice.
        reader = PeriodicExportingMetricReader(
            OTLPMetricExporter(timeout=timeout), export_interval_millis=600_000
        )
        meter_provider = MeterProvider(resource=resource, metric_readers=[reader])
    return _make(tracer_provider, meter_provider)


def _make(tracer_provider: Any, meter_provider: Any) -> _On:
    from tank import __version__

    tracer = tracer_provider.get_tracer(SCOPE, __version__) if tracer_provider else None
    meter = meter_provider.get_meter(SCOPE, __version__) if meter_provider else None
    return _On(tracer, meter)


def use(tracer_provider: Any = None, meter_provider: Any = None) -> None:
    """Record Tank's spans and metrics with these providers from now on (whatever the
    environment says). With neither, the providers set globally through the OpenTelemetry
    API (``trace.set_tracer_provider``...): the host application's own."""
    if tracer_provider is None and meter_provider is None:
        from opentelemetry import metrics, trace

        tracer_provider, meter_provider = trace.get_tracer_provider(), metrics.get_meter_provider()
    _STATE[:] = [_make(tracer_provider, meter_provider)]


def reset() -> None:
    """Forget :func:`use` and the environment's answer (read again at the next span)."""
    _STATE.clear()


def _active() -> _On | None:
    if not _STATE:
        _STATE.append(_from_environment(os.environ) if configured(os.environ) else None)
    return _STATE[0]


def enabled() -> bool:
    """Whether spans and metrics are being recorded."""
    return _active() is not None


@contextmanager
def span(name: str, attributes: Mapping[str, object] | None = None) -> Iterator[Span]:
    """Record the block as the span ``name`` (a child of the current one). An exception
    marks it failed with ``error.type`` (the error's code or class; never its message)."""
    on = _active()
    if on is None or on.tracer is None:
        yield _OFF
        return
    from opentelemetry.trace import StatusCode

    with on.tracer.start_as_current_span(
        name,
        attributes=_clean(attributes or {}),
        record_exception=False,
        set_status_on_exception=False,
    ) as current:
        try:
            yield Span(current)
        except BaseException as error:
            current.set_attribute("error.type", str(getattr(error, "code", type(error).__name__)))
            current.set_status(StatusCode.ERROR)
            raise


def annotate(key: str, value: object) -> None:
    """Set one attribute on the current span (the innermost ``with span(...)`` block)."""
    on = _active()
    if on is not None and on.tracer is not None:
        from opentelemetry import trace

        Span(trace.get_current_span()).set(key, value)


def count(
    name: str, value: int = 1, attributes: Mapping[str, object] | None = None, *, unit: str = "1"
) -> None:
    """Add ``value`` to the counter ``name``."""
    on = _active()
    if on is not None and on.meter is not None:
        instrument = on.instruments.get(name)
        if instrument is None:
            instrument = on.instruments[name] = on.meter.create_counter(name, unit=unit)
        instrument.add(value, _clean(attributes or {}))


def measure(
    name: str, value: float, attributes: Mapping[str, object] | None = None, *, unit: str
) -> None:
    """Record ``value`` in the histogram ``name`` (durations in ``s``, sizes in ``By``...)."""
    on = _active()
    if on is not None and on.meter is not None:
        instrument = on.instruments.get(name)
        if instrument is None:
            instrument = on.instruments[name] = on.meter.create_histogram(name, unit=unit)
        instrument.record(value, _clean(attributes or {}))
