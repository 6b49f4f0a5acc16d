"""The whole path: a real `tank install`, the hook's rewrite, and the rewritten command run
by bash, so the script really runs in the sandbox (real bubblewrap)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.functional.sandbox_world import SandboxWorld, needs_bwrap
from tests.functional.test_guard_hook import payload

pytestmark = needs_bwrap

SCRIPT = """\
import json, os, sys
print(json.dumps({"args": sys.argv[1:],
                  "ssh_key": os.path.exists(os.path.expanduser("~/.ssh/id_rsa"))}))
"""


def test_a_rewritten_command_runs_the_script_in_the_sandbox(tmp_path: Path) -> None:
    world = SandboxWorld(tmp_path).setup()
    (world.project / ".claude").mkdir()
    folder = world.skill(
        name="hello", files={"scripts/hello.py": SCRIPT}, extra={"run": "scripts/hello.py"}
    )
    (folder / "scripts" / "probe.py").unlink()
    installed = world.tank("install", "./hello")
    assert installed.returncode == 0, installed.stderr
    linked = world.project / ".claude" / "skills" / "hello" / "scripts" / "hello.py"
    assert linked.is_file()

    # Unguarded, the script sees the planted key: that is what the guard is for.
    direct = subprocess.run(
        [sys.executable, str(linked)], capture_output=True, text=True, env=world.env, check=True
    )
    assert json.loads(direct.stdout)["ssh_key"] is True

    command = "python3 .claude/skills/hello/scripts/hello.py 'a b' \"$USER_WORD\""
    hooked = world.tank("guard", "hook", input=json.dumps(payload(command, world.project)))
    answer = json.loads(hooked.stdout)["hookSpecificOutput"]
    new = answer["updatedInput"]["command"]
    assert new == "tank run hello --script scripts/hello.py -- 'a b' \"$USER_WORD\""

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "tank"
    src = Path(__file__).parents[2] / "src"
    shim.write_text(f'#!/bin/sh\nPYTHONPATH={src} exec {sys.executable} -m tank.cli.main "$@"\n')
    shim.chmod(0o755)
    env = {**os.environ, **world.env, "PATH": f"{bin_dir}:{os.environ['PATH']}", "USER_WORD": "c"}
    ran = subprocess.run(
        ["bash", "-c", new], cwd=world.project, capture_output=True, text=True, env=env,
        timeout=120, check=False,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    lines = [line for line in ran.stdout.splitlines() if line.startswith("{")]
    assert json.loads(lines[-1]) == {"args": ["a b", "c"], "ssh_key": False}
    log = world.tank("logs", "--json").stdout.splitlines()
    assert json.loads(log[-1])["skill"] == "@test/hello"
