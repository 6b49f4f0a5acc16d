"""The behaviour check's pure parts: findings of a run, the verdict, measured coverage."""

from __future__ import annotations

from pathlib import Path

import pytest

from tank.core.manifest import parse_manifest
from tank.server.services.pipeline.behaviour import _measured, scripts_to_run
from tank.server.services.pipeline.behaviour_findings import Observed, findings_of, verdict_of
from tank.server.services.pipeline.scoring import ScoreInputs, compute


def rules(seen: Observed) -> dict[str, str]:
    return {f["rule"]: f["severity"] for f in findings_of(seen)}


def test_an_undeclared_canary_read_is_critical_a_declared_one_a_note() -> None:
    read = Observed("scripts/a.py", opened=("~/.ssh/id_rsa",))
    assert rules(read) == {"behaviour.canary_read": "critical"}
    declared = Observed("scripts/a.py", opened=("~/.ssh/id_rsa",), declared_paths=("~/.ssh",))
    assert rules(declared) == {"behaviour.canary_read": "low"}
    assert verdict_of("pass", findings_of(read)) == "fail"
    assert verdict_of("pass", findings_of(declared)) == "pass_with_notes"


def test_a_sent_secret_is_critical_unless_declared_and_sent_to_its_declared_host() -> None:
    to_own = Observed(
        "s.py",
        sent=(("$KEY", "network api.x.dev"),),
        declared_secrets=("KEY",),
        declared_hosts=("*.x.dev",),
    )
    assert rules(to_own) == {}
    to_other = Observed(
        "s.py",
        sent=(("$KEY", "network evil.dev"),),
        declared_secrets=("KEY",),
        declared_hosts=("*.x.dev",),
    )
    assert rules(to_other) == {"behaviour.canary_sent": "critical"}
    key_file = Observed("s.py", sent=(("~/.ssh/id_rsa", "network api.x.dev"),))
    assert rules(key_file) == {"behaviour.canary_sent": "critical"}
    printed = Observed("s.py", sent=(("$KEY", "stdout"),), declared_secrets=("KEY",))
    assert rules(printed) == {"behaviour.canary_sent": "high"}


def test_hosts_processes_and_limits() -> None:
    seen = Observed(
        "s.py",
        limits_hit=("wall_clock", "output"),
        denials=(
            {"kind": "subprocess", "detail": "subprocess.Popen 'ls'"},
            {"kind": "dns", "detail": "resolve 'x.dev'"},
            {"kind": "grant", "detail": "~/.cache: missing"},
        ),
        connections=(
            {"host": "evil.dev", "port": 80, "allowed": False, "reason": "host not declared"},
            {"host": "api.x.dev", "port": 443, "allowed": False, "reason": "resolve failed"},
        ),
    )
    found = findings_of(seen)
    assert {f["rule"] for f in found} == {
        "behaviour.timeout",
        "behaviour.limit",
        "behaviour.undeclared_process",
        "behaviour.undeclared_host",
    }
    messages = " ".join(f["message"] for f in found)
    assert "evil.dev:80" in messages and "api.x.dev" not in messages and "x.dev'" in messages
    assert verdict_of("pass", found) == "flagged"
    assert verdict_of("fail", []) == "fail"


def test_the_tests_run_reports_only_canaries_and_time() -> None:
    seen = Observed(
        "tests/",
        tests=True,
        limits_hit=("cpu_time",),
        denials=({"kind": "subprocess", "detail": "x"},),
        sent=(("$KEY", "stdout"),),
    )
    assert rules(seen) == {"behaviour.timeout": "medium"}


def test_measured_coverage_needs_passing_tests_python_only_and_more_than_80() -> None:
    scripts = ["scripts/a.py"]
    ok = _measured({"exit": 0, "files": {"scripts/a.py": [10, 1]}}, scripts, scripts)
    assert ok.passed and ok.percent == 90.0
    low = _measured({"exit": 0, "files": {"scripts/a.py": [10, 2]}}, scripts, scripts)
    assert not low.passed and "needs more than 80%" in low.note
    failed = _measured({"exit": 1, "files": {"scripts/a.py": [10, 0]}}, scripts, scripts)
    assert not failed.passed and "the tests failed" in failed.note
    mixed = _measured({"exit": 0, "files": {"scripts/a.py": [10, 0]}}, [*scripts, "b.sh"], scripts)
    assert not mixed.passed and "other languages" in mixed.note
    missing = _measured({"exit": 0, "files": {}}, scripts, scripts)
    assert not missing.passed and "could not be measured" in missing.note
    broken = _measured({"exit": None, "files": {}, "error": "cannot import coverage"}, [], [])
    assert not broken.passed and "cannot import coverage" in broken.note


def test_only_measured_coverage_earns_the_point() -> None:
    measured = compute(ScoreInputs("pass", coverage_passed=True, coverage_measured=True,
                                   coverage_note="measured by the registry: 90%"))  # fmt: skip
    assert measured.breakdown["test_coverage"]["points"] == 1
    reported = compute(ScoreInputs("pass", coverage_passed=True, coverage_note="coverage.json"))
    assert reported.breakdown["test_coverage"]["points"] == 0


def test_scripts_to_run_puts_the_entry_first_and_skips_tests() -> None:
    manifest, _ = parse_manifest(
        {"name": "@a/b", "version": "1.0.0", "description": "d", "run": "main.py"},
        skill_name="b",
    )
    assert manifest is not None
    files = dict.fromkeys(
        ["main.py", "scripts/z.sh", "scripts/a.py", "scripts/test_a.py", "scripts/d.json"], b""
    )
    assert scripts_to_run(files, manifest) == ["main.py", "scripts/a.py", "scripts/z.sh"]


def test_a_registry_without_a_sandbox_refuses_rather_than_skips(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tank.server.services.pipeline.behaviour import BehaviourConfig, run_behaviour
    from tank.server.services.pipeline.scan import ScanFailed

    manifest, _ = parse_manifest(
        {"name": "@a/b", "version": "1.0.0", "description": "d"}, skill_name="b"
    )
    assert manifest is not None
    monkeypatch.setenv("PATH", str(tmp_path))  # no bwrap to be found
    with pytest.raises(ScanFailed) as refused:
        run_behaviour("@a/b", "1.0.0", {"scripts/x.py": b""}, manifest, BehaviourConfig())
    assert "sandbox is unavailable" in refused.value.message
    assert "bubblewrap" in refused.value.message
