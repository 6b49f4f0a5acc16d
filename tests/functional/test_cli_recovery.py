"""An install killed with ``kill -9`` mid-switch, then a user edit, then Tank again.

The kill is deterministic: the child process runs the real CLI with one hook that sends
itself SIGKILL right after the switch wrote skills.lock (skills.json was written just
before), so the journal, new folders and new files are all on disk when it dies.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import ClientWorld, SkillFactory
from tests.functional.test_cli_install import publish

KILL_AFTER_LOCK = """
import os, signal, sys
from tank.client import transaction

real = transaction.Transaction.write

def write(self, path, data):
    real(self, path, data)
    if path.name == "skills.lock":
        os.kill(os.getpid(), signal.SIGKILL)

transaction.Transaction.write = write
from tank.cli.main import run
sys.exit(run(sys.argv[1:]))
"""


def kill_mid_switch(world: ClientWorld, project: Path, *args: str) -> Any:
    """Run ``tank ARGS`` in a child that SIGKILLs itself right after writing skills.lock."""
    return subprocess.run(
        [sys.executable, "-c", KILL_AFTER_LOCK, *args],
        cwd=project, env={**os.environ, **world.env}, capture_output=True, text=True,
        check=False,
    )  # fmt: skip


def test_recovery_keeps_an_edit_made_after_the_kill_and_says_so(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    world = client_world
    token = world.publisher("alice")
    for name in ("one", "two", "three"):
        publish(world, token, skill_factory(scope="alice", name=name))
    project = world.project("p", {"@alice/one": "^1.0.0"})
    assert world.tank("install", cwd=project).returncode == 0
    killed = kill_mid_switch(world, project, "install", "@alice/two")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (project / ".agents/.tank-journal.json").exists()

    # Read-only commands say so (and change nothing).
    for args in (("list",), ("where", "@alice/one"), ("list", "--json")):
        shown = world.tank(*args, cwd=project)
        assert "was interrupted" in shown.stderr, (args, shown.stderr)
    assert (project / ".agents/.tank-journal.json").exists()

    # The user fixes skills.json by hand before running Tank again.
    edited = json.loads((project / "skills.json").read_text())
    edited["skills"] = {"@alice/one": "^1.0.0", "@alice/three": "^1.0.0"}
    text = json.dumps(edited, indent=2) + "\n"
    (project / "skills.json").write_text(text)

    result = world.tank("install", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Rolled back an interrupted install" in result.stderr
    assert "restored skills.lock" in result.stderr
    assert "Kept skills.json" in result.stderr
    assert "Already up to date" not in result.stdout
    assert json.loads((project / "skills.json").read_text())["skills"] == edited["skills"]
    lock = json.loads((project / "skills.lock").read_text())
    assert sorted(lock["skills"]) == ["@alice/one@1.0.0", "@alice/three@1.0.0"]
    assert sorted(p.name for p in (project / ".agents/skills").iterdir()) == ["one", "three"]
    assert not (project / ".agents/.tank-journal.json").exists()
    assert "interrupted" not in world.tank("list", cwd=project).stderr


def test_recovery_restores_untouched_files_and_reports_it(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    world = client_world
    token = world.publisher("alice")
    for name in ("one", "two"):
        publish(world, token, skill_factory(scope="alice", name=name))
    project = world.project("p", {"@alice/one": "^1.0.0"})
    assert world.tank("install", cwd=project).returncode == 0
    before = {n: (project / n).read_bytes() for n in ("skills.json", "skills.lock")}
    killed = kill_mid_switch(world, project, "install", "@alice/two")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    # A writing command other than install recovers (and reports) too.
    result = world.tank("remove", "@alice/one", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Rolled back an interrupted install" in result.stderr
    assert "restored skills.json, skills.lock" in result.stderr
    assert "Kept" not in result.stderr
    assert before["skills.json"] != (project / "skills.json").read_bytes()  # one removed
    assert json.loads((project / "skills.json").read_text())["skills"] == {}
