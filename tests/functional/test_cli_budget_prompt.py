"""End to end, on a real pseudo-terminal: the offer to widen the permission budget.

``tank install`` runs as a subprocess whose stdin, stdout and stderr are the slave side of
``os.openpty()``; the test reads the master side and answers the question like a user.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tank.cli.exit_codes import ExitCode
from tests.conftest import ClientWorld
from tests.functional.test_cli_install import snapshot, three

__all__ = ["three"]  # the fixture, shared with test_cli_install

QUESTION = b"Widen the budget in skills.json to allow these? [y/N]"


def run_on_pty(
    world: ClientWorld,
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    answer: bytes | None = None,
    timeout: float = 120,
) -> tuple[int, str]:
    """Run ``tank`` on a new terminal; type ``answer`` when the question shows. Returns the
    exit status and everything the terminal showed."""
    master, slave = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "tank.cli.main", *args],
        cwd=cwd,
        env={**os.environ, **world.env, **(env or {})},
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
    )
    os.close(slave)
    shown = bytearray()
    sent = False
    deadline = time.monotonic() + timeout
    try:
        while True:
            if time.monotonic() > deadline:
                process.kill()
                raise AssertionError(f"tank did not finish; the terminal shows:\n{shown!r}")
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: every slave descriptor is closed, the process is done
                break
            if not chunk:
                break
            shown += chunk
            if answer is not None and not sent and QUESTION in shown:
                os.write(master, answer)
                sent = True
        process.wait(timeout=30)
    finally:
        os.close(master)
    return process.returncode, shown.decode("utf-8", "replace")


def over_budget_project(world: ClientWorld) -> Path:
    """A project wanting @alice/top (network to api.example.com) on a narrower budget,
    indented with four spaces and with its keys in a non-default order."""
    project = world.root / "p"
    project.mkdir()
    text = (
        "{\n"
        '    "permissions": {\n'
        '        "network": {"outbound": ["*.internal.example"]}\n'
        "    },\n"
        '    "name": "p",\n'
        '    "skills": {\n'
        '        "@alice/top": "^1.0.0"\n'
        "    }\n"
        "}\n"
    )
    (project / "skills.json").write_text(text)
    return project


def test_yes_widens_exactly_what_is_needed_and_installs(three: tuple[ClientWorld, str]) -> None:
    world, _ = three
    project = over_budget_project(world)
    code, shown = run_on_pty(world, "install", cwd=project, answer=b"y\n")
    assert code == ExitCode.OK, shown
    assert "1 permission exceed" in shown and "api.example.com" in shown
    assert "@alice/top@1.0.0 needs network.outbound api.example.com" in shown
    assert shown.count("[y/N]") == 1  # asked once
    text = (project / "skills.json").read_text()
    manifest = json.loads(text)
    assert list(manifest) == ["permissions", "name", "skills"]  # the user's key order
    assert manifest["permissions"] == {
        "network": {"outbound": ["*.internal.example", "api.example.com"]}
    }
    assert text.startswith('{\n    "permissions": {\n        "network"')  # the user's indent
    lock = json.loads((project / "skills.lock").read_text())
    assert lock["permission_budget_check"] == "pass"
    assert (project / ".agents/skills/top/SKILL.md").is_file()
    assert not list(project.glob(".skills.json*"))  # no temporary file left behind


@pytest.mark.parametrize("answer", [b"n\n", b"\n", b"\x04"], ids=["no", "default", "eof"])
def test_no_changes_nothing(three: tuple[ClientWorld, str], answer: bytes) -> None:
    world, _ = three
    project = over_budget_project(world)
    before = snapshot(project)
    code, shown = run_on_pty(world, "install", cwd=project, answer=answer)
    assert code == ExitCode.PERMISSION_BUDGET, shown
    assert "[y/N]" in shown
    assert "@alice/top@1.0.0 needs network.outbound api.example.com" in shown
    assert "nothing was installed" in shown
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("env", "flags"),
    [({"CI": "true"}, ()), ({}, ("--no-input",)), ({}, ("--json",))],
    ids=["ci", "no-input", "json"],
)
def test_never_asks_in_ci_or_when_told_not_to(
    three: tuple[ClientWorld, str], env: dict[str, str], flags: tuple[str, ...]
) -> None:
    world, _ = three
    project = over_budget_project(world)
    before = snapshot(project)
    # Naming the skill keeps `CI` from implying --frozen: the budget is what stops it.
    code, shown = run_on_pty(
        world, "install", "@alice/top", *flags, cwd=project, env=env, answer=b"y\n"
    )
    assert code == ExitCode.PERMISSION_BUDGET, shown
    assert "[y/N]" not in shown and "Widen" not in shown
    assert "api.example.com" in shown
    assert snapshot(project) == before


def test_never_asks_off_a_terminal(three: tuple[ClientWorld, str]) -> None:
    world, _ = three
    project = over_budget_project(world)
    result = world.tank("install", cwd=project, input="y\n")
    assert result.returncode == ExitCode.PERMISSION_BUDGET
    assert "[y/N]" not in result.stdout + result.stderr
    assert "api.example.com" not in (project / "skills.json").read_text()
