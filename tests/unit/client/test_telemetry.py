"""tank.client.telemetry: when it is on, what a span carries, and what it never carries.

Spans are read with the SDK's in-memory exporter, metrics with its in-memory reader."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from tank.client import telemetry
from tank.core.errors import UsageError


class Recorded:
    def __init__(self) -> None:
        self.exporter = InMemorySpanExporter()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.reader = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.reader])

    def spans(self) -> dict[str, Any]:
        return {s.name: s for s in self.exporter.get_finished_spans()}

    def metrics(self) -> dict[str, list[Any]]:
        data = self.reader.get_metrics_data()
        out: dict[str, list[Any]] = {}
        for resource in data.resource_metrics if data else ():
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    out[metric.name] = list(metric.data.data_points)
        return out


@pytest.fixture
def recorded() -> Iterator[Recorded]:
    rec = Recorded()
    telemetry.use(rec.tracer_provider, rec.meter_provider)
    yield rec
    telemetry.reset()


@pytest.mark.parametrize(
    ("environ", "on"),
    [
        ({}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://c/v1/traces"}, True),
        ({"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": "http://c/v1/metrics"}, True),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "  "}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c", "OTEL_SDK_DISABLED": "TRUE"}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c", "OTEL_SDK_DISABLED": "false"}, True),
        ({"OTEL_SERVICE_NAME": "x", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, False),
    ],
)
def test_configured_only_by_an_endpoint(environ: dict[str, str], on: bool) -> None:
    assert telemetry.configured(environ) is on


def test_span_attributes_and_errors(recorded: Recorded) -> None:
    with telemetry.span("tank.ok", {"a": 1, "b": "x" * 1000, "none": None, "list": [1]}) as span:
        span.set("later", True)
        span.set("obj", object())
    with pytest.raises(UsageError), telemetry.span("tank.bad"):
        raise UsageError("the secret path /home/me/.ssh was wrong", code="run.bad_script")
    spans = recorded.spans()
    ok = dict(spans["tank.ok"].attributes)
    assert ok == {"a": 1, "b": "x" * 256, "later": True}
    bad = spans["tank.bad"]
    assert bad.status.status_code is StatusCode.ERROR and not bad.status.description
    assert dict(bad.attributes) == {"error.type": "run.bad_script"}
    assert not bad.events  # no exception event: its message may hold paths or content


def test_nested_spans_and_annotate(recorded: Recorded) -> None:
    with telemetry.span("tank.outer"), telemetry.span("tank.inner"):
        telemetry.annotate("tank.hits", 3)
    spans = recorded.spans()
    assert spans["tank.inner"].parent.span_id == spans["tank.outer"].context.span_id
    assert spans["tank.inner"].attributes["tank.hits"] == 3


def test_metrics(recorded: Recorded) -> None:
    telemetry.count("tank.things", 2, {"kind": "a"})
    telemetry.count("tank.things", 1, {"kind": "a"})
    telemetry.measure("tank.time", 0.5, {"kind": "b"}, unit="s")
    metrics = recorded.metrics()
    assert [p.value for p in metrics["tank.things"]] == [3]
    assert metrics["tank.time"][0].sum == 0.5 and dict(metrics["tank.time"][0].attributes) == {
        "kind": "b"
    }


def test_off_records_nothing_and_imports_nothing() -> None:
    code = (
        "import sys\n"
        "from tank.client import telemetry\n"
        "with telemetry.span('x', {'a': 1}) as s:\n"
        "    s.set('b', 2); telemetry.annotate('c', 3)\n"
        "telemetry.count('n'); telemetry.measure('m', 1.0, unit='s')\n"
        "print(telemetry.enabled(), any(m.startswith('opentelemetry') for m in sys.modules))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.split() == ["False", "False"]


def test_a_run_records_its_outcome_not_its_content(recorded: Recorded, tmp_path: Path) -> None:
    """In-process, unsandboxed (the sandboxed run is tests/functional/test_telemetry.py)."""
    from tank.runtime import runs

    skill = tmp_path / "loud"
    (skill / "scripts").mkdir(parents=True)
    (skill / "SKILL.md").write_text("---\nname: loud\ndescription: Prints.\n---\n# loud\n")
    manifest = {"name": "@t/loud", "version": "2.0.0", "description": "d", "run": "scripts/m.py"}
    (skill / "skills.json").write_text(json.dumps(manifest))
    (skill / "scripts/m.py").write_text("import sys\nprint('CONTENT', sys.argv)\nsys.exit(4)\n")
    target = runs.find_target(str(skill), paths=None)  # type: ignore[arg-type]
    done = runs.run_skill(
        target, project=tmp_path, args=("ARGUMENT",), environ={"KEY": "SECRET"},
        log=tmp_path / "runs.jsonl", unsafe=True,
    )  # fmt: skip
    assert done.exit_code == 4
    span = recorded.spans()["tank.run"]
    attributes = dict(span.attributes)
    assert attributes["tank.skill.name"] == "@t/loud"
    assert attributes["tank.skill.version"] == "2.0.0"
    assert attributes["tank.run.exit_code"] == 4 and attributes["tank.run.sandboxed"] is False
    assert attributes["tank.run.denials"] == 0 and attributes["tank.skill.installed"] is False
    flat = repr(attributes)
    assert "ARGUMENT" not in flat and "CONTENT" not in flat and "SECRET" not in flat
    metrics = recorded.metrics()
    assert [p.value for p in metrics["tank.runs"]] == [1]
    assert dict(metrics["tank.runs"][0].attributes)["tank.run.exit_code"] == 4


def test_refused_inputs_mark_the_run_span_failed(recorded: Recorded, tmp_path: Path) -> None:
    from tank.core.errors import ValidationError
    from tank.runtime import runs

    skill = tmp_path / "typed"
    (skill / "scripts").mkdir(parents=True)
    (skill / "SKILL.md").write_text("---\nname: typed\ndescription: Typed.\n---\n# typed\n")
    manifest = {
        "name": "@t/typed", "version": "1.0.0", "description": "d", "run": "scripts/m.py",
        "interface": {"inputs": {"type": "object", "required": ["n"]}},
    }  # fmt: skip
    (skill / "skills.json").write_text(json.dumps(manifest))
    (skill / "scripts/m.py").write_text("print(1)\n")
    target = runs.find_target(str(skill), paths=None)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        runs.run_skill(
            target, project=tmp_path, inputs={"secret": "VALUE"}, environ={},
            log=tmp_path / "runs.jsonl", unsafe=True,
        )  # fmt: skip
    span = recorded.spans()["tank.run"]
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes["error.type"] == "run.inputs.invalid"
    assert "VALUE" not in repr(dict(span.attributes))


def test_the_resource_never_carries_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "OTEL_RESOURCE_ATTRIBUTES", "process.command_args=SECRET,deployment.environment=ci"
    )
    monkeypatch.setenv("OTEL_SERVICE_NAME", "agent-host")
    on = telemetry._from_environment({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:9"})
    assert on is not None and on.meter is None  # traces only: no metrics endpoint was named
    attributes = dict(on.tracer.resource.attributes)
    assert "process.command_args" not in attributes
    assert attributes["deployment.environment"] == "ci"
    assert attributes["service.name"] == "agent-host"  # the user's name wins over "tank"
