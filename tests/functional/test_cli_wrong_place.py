"""Commands run in the wrong place or with too little: a clear usage error, never a crash,
an archive error or a half-written folder."""

from __future__ import annotations

import json
from pathlib import Path

from tank.cli.exit_codes import ExitCode
from tests.conftest import ClientWorld, SkillFactory, run_tank
from tests.functional.test_cli_install import publish


def test_outdated_without_a_project_or_a_global_install(
    client_world: ClientWorld, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = client_world.tank("outdated", cwd=empty)
    assert result.returncode == ExitCode.USAGE, result.stderr
    assert "no skills.json in" in result.stderr and "internal error" not in result.stderr
    global_ = client_world.tank("outdated", "-g", cwd=empty)
    assert global_.returncode == ExitCode.OK, global_.stderr
    assert "newest version" in global_.stdout


def test_outdated_shows_what_a_dependency_wants(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    world = client_world
    token = world.publisher("alice")
    publish(world, token, skill_factory(scope="alice", name="base"))
    publish(world, token, skill_factory(scope="alice", name="top", deps={"@alice/base": "^1.0.0"}))
    project = world.project()
    assert world.tank("install", "@alice/top", cwd=project).returncode == 0
    publish(world, token, skill_factory(scope="alice", name="base", version="1.1.0"))
    publish(world, token, skill_factory(scope="alice", name="base", version="2.0.0"))
    result = world.tank("outdated", "--json", cwd=project)
    assert result.returncode == ExitCode.FAILURE, result.stderr
    [row] = json.loads(result.stdout)["outdated"]
    assert row == {
        "name": "@alice/base",
        "current": "1.0.0",
        "wanted": "1.1.0",  # the newest ^1.0.0 (top's range) allows
        "latest": "2.0.0",
        "direct": False,
        "yanked": False,
    }
    for verb in ("update", "remove"):
        refused = world.tank(verb, "@alice/base", cwd=project)
        assert refused.returncode == ExitCode.NOT_FOUND, refused.stderr
        assert "it is a dependency of @alice/top" in refused.stderr
        assert f"`tank {verb} @alice/top`" in refused.stderr


def _project_with_links(root: Path) -> Path:
    """A project folder as `tank install` leaves it: skills.json and agent links."""
    project = root / "proj"
    (project / ".agents/skills/x").mkdir(parents=True)
    (project / ".claude").mkdir()
    (project / ".claude/skills").symlink_to("../.agents/skills")
    (project / "skills.json").write_text('{"name": "proj", "skills": {}}\n')
    return project


def test_skill_commands_in_a_project_or_an_empty_folder_say_no_skill_md(tmp_path: Path) -> None:
    project = _project_with_links(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    for cwd in (project, empty):
        for command in ("scan", "sbom", "publish", "diff", "pack"):
            result = run_tank(command, cwd=cwd, env={"TANK_REGISTRY": "http://127.0.0.1:9"})
            assert result.returncode == ExitCode.USAGE, (command, cwd, result.stderr)
            assert "no SKILL.md in" in result.stderr, (command, cwd, result.stderr)
            assert "symlink" not in result.stderr and "no files" not in result.stderr


def test_init_with_a_bad_name_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    result = run_tank(
        "init", str(folder), "--skill", "--name", "Bad_Name", "--scope", "alice", "--yes"
    )
    assert result.returncode == ExitCode.USAGE, result.stderr
    assert "nothing was written" in result.stderr
    assert "skills.json:" not in result.stderr  # no position in a file that does not exist
    assert list(folder.iterdir()) == []


def test_diff_of_a_name_compares_its_two_newest_versions(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    world = client_world
    token = world.publisher("alice")
    only = world.tank("diff", "@alice/pdf")
    assert only.returncode == ExitCode.NOT_FOUND, only.stderr
    for version in ("1.0.0", "1.1.0", "1.2.0"):
        folder = skill_factory(scope="alice", version=version, files={"ref.md": version})
        assert world.tank("publish", str(folder), env={"TANK_TOKEN": token}).returncode == 0
    result = world.tank("diff", "@alice/pdf", "--json")
    assert result.returncode == ExitCode.OK, result.stderr
    doc = json.loads(result.stdout)
    assert (doc["from"], doc["to"]) == ("1.1.0", "1.2.0"), doc
