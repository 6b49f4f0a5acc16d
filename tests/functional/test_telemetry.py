"""Telemetry seen from a collector: a real ``tank install`` and ``tank run`` (real bubblewrap)
exporting over OTLP/HTTP to a receiver on loopback; and the off path importing nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.functional.otlp_receiver import otlp_receiver
from tests.functional.sandbox_world import SandboxWorld, needs_bwrap

pytestmark = needs_bwrap

SECRET = "tok-SECRET-7c1f"  # a declared secret's value: the skill sees it, telemetry never
ARGUMENT = "ARG-PRIVATE-91d2"
OUTPUT = "OUTPUT-CONTENT-5e3a"
SCRIPT = f"""import os, sys
print("{OUTPUT}", sys.argv[1:], len(os.environ.get("DEMO_TOKEN", "")))
"""


def _world(tmp_path: Path) -> SandboxWorld:
    world = SandboxWorld(tmp_path).setup()
    world.skill({"secrets": ["DEMO_TOKEN"]}, name="echoer", files={"scripts/probe.py": SCRIPT})
    return world


def test_install_and_run_export_spans_without_content(tmp_path: Path) -> None:
    world = _world(tmp_path)
    with otlp_receiver() as (endpoint, received):
        env = {"OTEL_EXPORTER_OTLP_ENDPOINT": endpoint, "DEMO_TOKEN": SECRET}
        installed = world.tank("install", "./echoer", env=env)
        assert installed.returncode == 0, installed.stderr
        run = world.tank("run", "echoer", "--", ARGUMENT, env=env)
        assert run.returncode == 0, run.stderr
        assert OUTPUT in run.stdout and ARGUMENT in run.stdout  # the skill did get them
        scanned = world.tank("scan", "./echoer", env=env)
        assert scanned.returncode == 0, scanned.stderr
        published = world.tank("publish", "--dry-run", "./echoer", env=env)
        assert published.returncode == 0, published.stderr
        spans = received.spans()
        raw = received.raw()
        metrics = received.metric_names()
    by_name = {s["name"]: s for s in spans}
    assert {"tank.install", "tank.run"} <= set(by_name), spans
    ran = by_name["tank.run"]["attributes"]
    assert ran["tank.skill.name"] == "@test/echoer" and ran["tank.skill.version"] == "1.0.0"
    assert ran["tank.run.exit_code"] == 0 and ran["tank.run.sandboxed"] is True
    assert ran["tank.run.denials"] == 0 and ran["tank.run.limits_hit"] == ""
    assert ran["tank.skill.installed"] is True and ran["tank.run.duration_s"] > 0
    assert by_name["tank.run"]["resource"]["service.name"] == "tank"
    install = by_name["tank.install"]["attributes"]
    assert install["tank.install.skills"] == 1 and install["tank.install.cache_hits"] == 0
    assert {"tank.runs", "tank.run.duration", "tank.install.duration"} <= metrics
    scan = by_name["tank.scan"]["attributes"]
    assert scan["tank.scan.files"] == 3 and scan["tank.scan.verdict"] in ("pass", "pass_with_notes")
    assert scan["tank.scan.findings"] >= 0 and "tank.scans" in metrics
    publish = by_name["tank.publish"]["attributes"]
    assert publish["tank.publish.dry_run"] is True and publish["tank.skill.name"] == "@test/echoer"
    assert publish["tank.publish.files"] == 3 and "tank.publish.verdict" not in publish
    # what a collector must never see: arguments, output, secrets, the environment
    for private in (ARGUMENT, OUTPUT, SECRET, str(world.home)):
        assert private.encode() not in raw, private


def test_telemetry_off_imports_no_opentelemetry(tmp_path: Path) -> None:
    world = _world(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env.update(world.env)
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tank.cli.main", "run", "./echoer", "--json"],
        capture_output=True, text=True, env=env, cwd=world.project, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["exit"] == 0
    assert "tank.client.telemetry" in result.stderr  # the check ran...
    assert "opentelemetry" not in result.stderr  # ...and imported nothing of OpenTelemetry
