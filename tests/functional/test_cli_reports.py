"""What install, update and list report: counts of what changed, where, and what is direct."""

from __future__ import annotations

import json
from pathlib import Path

from tank.cli.exit_codes import ExitCode
from tests.conftest import ClientWorld, SkillFactory
from tests.functional.test_cli_install import publish


def test_summaries_count_changes_and_name_real_folders(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    world = client_world
    token = world.publisher("alice")
    publish(world, token, skill_factory(scope="alice", name="base"))
    publish(world, token, skill_factory(scope="alice", name="top", deps={"@alice/base": "^1.0.0"}))
    publish(world, token, skill_factory(scope="alice", name="other"))
    project = world.project()
    assert world.tank("install", "@alice/top", "@alice/other", cwd=project).returncode == 0
    publish(world, token, skill_factory(scope="alice", name="base", version="1.0.1"))
    updated = world.tank("update", cwd=project)
    assert updated.returncode == ExitCode.OK, updated.stderr
    assert "Updated 1 skill; 3 in .agents/skills" in updated.stdout

    removed = world.tank("remove", "@alice/other", cwd=project)
    assert "Removed 1 skill; 2 remain in" in removed.stdout

    mine = skill_factory(scope="alice", name="mine")
    assert world.tank("install", str(mine), cwd=project).returncode == 0
    listed = json.loads(world.tank("list", "--json", cwd=project).stdout)["skills"]
    assert {s["name"]: s["direct"] for s in listed} == {
        "@alice/base": False,
        "@alice/mine": True,  # installed from disk: asked for directly
        "@alice/top": True,
    }

    home = Path(world.env["TANK_HOME"])
    elsewhere = world.root / "elsewhere"
    elsewhere.mkdir()
    global_ = world.tank("install", "-g", "@alice/base", cwd=elsewhere)
    assert global_.returncode == 0, global_.stderr
    assert f"in {home / '.agents/skills'}" in global_.stdout
    assert not (elsewhere / ".agents").exists()


def test_a_single_budget_violation_reads_right(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    world = client_world
    token = world.publisher("alice")
    folder = skill_factory(scope="alice", permissions={"network": {"outbound": ["x.example"]}})
    assert world.tank("publish", str(folder), env={"TANK_TOKEN": token}).returncode == 0
    project = world.project()
    manifest = json.loads((project / "skills.json").read_text())
    (project / "skills.json").write_text(json.dumps({**manifest, "permissions": {}}))
    result = world.tank("install", "@alice/pdf", cwd=project)
    assert result.returncode == ExitCode.PERMISSION_BUDGET, result.stderr
    assert "1 permission exceeds the project's budget" in result.stderr
