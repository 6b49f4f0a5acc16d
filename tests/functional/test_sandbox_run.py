"""``tank run`` beyond the probe: structured skills, limits, fail-closed refusals, the unsafe
escape hatch, installed skills and ``--json``. Real bubblewrap, real CLI."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.functional.sandbox_world import SandboxWorld, needs_bwrap

pytestmark = needs_bwrap

SUMMARIZER = Path(__file__).parents[2] / "examples/skills/json-summarizer"


@pytest.fixture
def world(tmp_path: Path) -> SandboxWorld:
    return SandboxWorld(tmp_path).setup()


@pytest.fixture
def summarizer(world: SandboxWorld) -> Path:
    folder = world.project / "json-summarizer"
    shutil.copytree(SUMMARIZER, folder)
    return folder


# ------------------------------------------------------------------ structured skills


def test_structured_skill_inputs_and_outputs(world: SandboxWorld, summarizer: Path) -> None:
    inputs = json.dumps({"document": {"a": [1, 2]}, "max_depth": 2})
    result = world.tank("run", "./json-summarizer", "--inputs", inputs, "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["output"] == {
        "type": "object",
        "size": 1,
        "children": {"a": {"type": "array", "size": 2}},
    }
    assert record["exit"] == 0 and record["sandboxed"] and record["output_problems"] == []
    # without --json the skill's output streams through as it prints it
    plain = world.tank("run", "./json-summarizer", "--inputs", inputs)
    assert json.loads(plain.stdout)["type"] == "object"


def test_bad_inputs_are_refused_before_running(world: SandboxWorld, summarizer: Path) -> None:
    result = world.tank("run", "./json-summarizer", "--inputs", '{"max_depth": 0}')
    assert result.returncode == 3
    assert "interface.inputs" in result.stderr and "document" in result.stderr
    not_json = world.tank("run", "./json-summarizer", "--inputs", "{nope")
    assert not_json.returncode == 3 and "not JSON" in not_json.stderr
    log = world.tank("logs", "--json").stdout
    assert log == ""  # nothing ran, nothing logged


def test_bad_outputs_are_reported(world: SandboxWorld, summarizer: Path) -> None:
    script = summarizer / "scripts/main.py"
    script.write_text('import json\nprint(json.dumps({"type": "weird", "size": -1}))\n')
    inputs_file = world.root / "inputs.json"
    inputs_file.write_text('{"document": 1}')
    result = world.tank("run", "./json-summarizer", "--inputs-file", str(inputs_file), "--json")
    assert result.returncode == 3
    record = json.loads(result.stdout)
    assert any("/type" in p for p in record["output_problems"])
    assert any("/size" in p for p in record["output_problems"])
    script.write_text('print("not json at all")\n')
    result = world.tank("run", "./json-summarizer", "--inputs", '{"document": 1}')
    assert result.returncode == 3 and "did not print a JSON value" in result.stderr


# ------------------------------------------------------------------ limits


def test_wall_clock_limit_stops_the_skill(world: SandboxWorld) -> None:
    world.skill(
        files={"scripts/slow.py": "import time\nprint('start', flush=True)\ntime.sleep(60)\n"}
    )
    result = world.tank("run", "./probe", "--script", "scripts/slow.py", "--timeout", "1", "--json")
    record = json.loads(result.stdout)
    assert record["limits_hit"] == ["wall_clock"]
    assert record["duration"] < 10 and record["exit"] != 0


def test_output_limit_and_cpu_limit(world: SandboxWorld, tmp_path: Path) -> None:
    from tank.runtime import runs
    from tank.sandbox.policy import Limits

    world.skill(
        files={
            "scripts/loud.py": "import sys\nwhile True:\n    sys.stdout.write('x' * 4096)\n",
            "scripts/spin.py": "while True:\n    pass\n",
        }
    )
    target = runs.find_target(str(world.project / "probe"), paths=None)  # type: ignore[arg-type]
    log = tmp_path / "runs.jsonl"
    os.environ["HOME"], home = str(world.home), os.environ["HOME"]
    try:
        loud = runs.run_skill(
            target, project=world.project, script="scripts/loud.py", environ={}, log=log,
            limits=Limits(output_bytes=100_000, wall_seconds=20),
        )  # fmt: skip
        spin = runs.run_skill(
            target, project=world.project, script="scripts/spin.py", environ={}, log=log,
            limits=Limits(cpu_seconds=1, wall_seconds=20),
        )  # fmt: skip
    finally:
        os.environ["HOME"] = home
    assert loud.result is not None and loud.result.limits_hit == ["output"]
    assert len(loud.result.stdout) == 100_000
    assert spin.result is not None and spin.result.limits_hit == ["cpu_time"]
    assert spin.result.duration < 10


# ------------------------------------------------------------------ fail closed, unsafe


def test_missing_bubblewrap_refuses_with_a_clear_message(world: SandboxWorld) -> None:
    world.skill()
    bin_dir = world.root / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    result = world.tank("run", "./probe", "--", "read", "x", env={"PATH": str(bin_dir)})
    assert result.returncode == 15, result.stderr
    assert "bubblewrap (bwrap) is not installed" in result.stderr
    assert "apt-get install bubblewrap" in result.stderr
    assert result.stdout == ""  # nothing ran
    record = json.loads(world.tank("logs", "--json").stdout)
    assert record["refused"] and record["exit"] is None


def test_unsafe_no_sandbox_warns_and_is_logged(world: SandboxWorld) -> None:
    world.skill()
    result = world.tank("run", "./probe", "--unsafe-no-sandbox", "--", "read", "~/.ssh/id_rsa")
    assert result.returncode == 0
    assert "WARNING: --unsafe-no-sandbox" in result.stderr and "UNCONFINED" in result.stderr
    assert json.loads(result.stdout)["ok"]  # unconfined: the key is readable
    record = json.loads(world.tank("logs", "--json").stdout)
    assert record["unsafe_no_sandbox"] is True and record["sandboxed"] is False
    assert "UNSANDBOXED" in world.tank("logs").stdout


# ------------------------------------------------------------------ targets


def test_run_an_installed_skill_by_name(world: SandboxWorld, summarizer: Path) -> None:
    installed = world.tank("install", "./json-summarizer")
    assert installed.returncode == 0, installed.stderr
    result = world.tank("run", "json-summarizer", "--inputs", '{"document": "abc"}', "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["installed"] and record["integrity"].startswith("sha512-")
    assert record["output"] == {"type": "string", "size": 3, "sample": "abc"}
    unknown = world.tank("run", "no-such-skill")
    assert unknown.returncode == 11 and "not installed" in unknown.stderr


def test_scripts_outside_the_skill_are_refused(world: SandboxWorld) -> None:
    world.skill()
    (world.project / "evil.py").write_text("print('ran')\n")
    for script in ("../evil.py", "/etc/passwd", "scripts/missing.py"):
        result = world.tank("run", "./probe", "--script", script)
        assert result.returncode == 2, (script, result.stderr)
        assert "ran" not in result.stdout
