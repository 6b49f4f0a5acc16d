"""``tank agents`` and ``tank install --agent`` as a user runs them: real subprocesses on real
folders (a skill installed from disk, so no registry is needed), with an isolated home."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tank.cli.exit_codes import ExitCode
from tests.conftest import SkillFactory, run_tank


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """An isolated client: its own home (TANK_HOME), config and cache; no registry."""
    (tmp_path / "home").mkdir()
    return {
        "TANK_HOME": str(tmp_path / "home"),
        "TANK_CONFIG_DIR": str(tmp_path / "config"),
        "TANK_CACHE_DIR": str(tmp_path / "cache"),
        "TANK_NO_KEYRING": "1",
        "TANK_REGISTRY": "http://127.0.0.1:9",  # never asked: skills come from disk
        "CI": "",
        "NO_COLOR": "1",
    }


def tank(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_tank(*args, env=env, cwd=cwd)


def project(root: Path, manifest: dict[str, object] | None = None) -> Path:
    folder = root / "project"
    folder.mkdir()
    data = manifest or {"name": "p", "skills": {}}
    (folder / "skills.json").write_text(json.dumps(data, indent=2) + "\n")
    return folder


def test_agents_json_lists_every_agent_and_why_detected(
    tmp_path: Path, env: dict[str, str]
) -> None:
    home = Path(env["TANK_HOME"])
    (home / ".codeium/windsurf").mkdir(parents=True)
    folder = project(tmp_path)
    (folder / ".roo").mkdir()
    result = tank(env, folder, "agents", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    rows = {row["id"]: row for row in data["agents"]}
    assert len(rows) >= 78
    assert rows["windsurf"]["detected"] and rows["windsurf"]["marker"] == "~/.codeium/windsurf"
    assert rows["roo"]["marker"] == ".roo" and rows["roo"]["linked"]
    assert not rows["goose"]["detected"] and rows["goose"]["marker"] is None
    assert rows["copilot"]["aliases"] == ["github-copilot"]
    assert rows["claude-code"]["user_folders"] == ["~/.claude/skills"]
    assert data["chosen_by"] == "detection"
    assert data["link_folders"] == [".claude/skills", ".roo/skills", ".windsurf/skills"]
    glob = json.loads(tank(env, folder, "agents", "-g", "--json").stdout)
    assert [r["id"] for r in glob["agents"] if r["detected"]] == ["windsurf"]
    assert glob["link_folders"] == [".claude/skills", ".codeium/windsurf/skills"]
    text = tank(env, folder, "agents")
    assert text.returncode == 0
    assert "yes (~/.codeium/windsurf)" in text.stdout and "2 of " in text.stdout


def test_install_with_agent_links_records_and_keeps_them(
    tmp_path: Path, env: dict[str, str], skill_factory: SkillFactory
) -> None:
    skill = skill_factory(scope="acme", name="demo")
    folder = project(tmp_path)
    refused = tank(env, folder, "install", "--agent", "windsurfer", str(skill))
    assert refused.returncode == ExitCode.USAGE
    assert "unknown agent 'windsurfer'" in refused.stderr and "windsurf" in refused.stderr
    assert not (folder / ".agents").exists()

    result = tank(env, folder, "install", "--agent", "Windsurf", "--agent", "roo", str(skill))
    assert result.returncode == 0, result.stderr
    for link in (".claude/skills/demo", ".windsurf/skills/demo", ".roo/skills/demo"):
        assert os.readlink(folder / link) == "../../.agents/skills/demo", link
        assert (folder / link / "SKILL.md").is_file()
    assert not (folder / ".goose").exists()
    assert json.loads((folder / "skills.json").read_text())["agents"] == ["windsurf", "roo"]
    # The choice is recorded: a plain install keeps the links; an alias adds nothing new.
    again = tank(env, folder, "install")
    assert again.returncode == 0 and (folder / ".roo/skills/demo").is_symlink()
    alias = tank(env, folder, "install", "--agent", "claude", "--agent", "roo")
    assert alias.returncode == 0, alias.stderr
    assert json.loads((folder / "skills.json").read_text())["agents"] == [
        "windsurf",
        "roo",
        "claude-code",
    ]


def test_install_links_for_agents_detected_on_the_machine(
    tmp_path: Path, env: dict[str, str], skill_factory: SkillFactory
) -> None:
    home = Path(env["TANK_HOME"])
    (home / ".config/goose").mkdir(parents=True)  # Goose is installed for this user
    skill = skill_factory(scope="acme", name="demo")
    folder = project(tmp_path)
    result = tank(env, folder, "install", str(skill))
    assert result.returncode == 0, result.stderr
    assert os.readlink(folder / ".goose/skills/demo") == "../../.agents/skills/demo"
    assert "agents" not in json.loads((folder / "skills.json").read_text())
    glob = tank(env, folder, "install", "-g", str(skill))
    assert glob.returncode == 0, glob.stderr
    link = home / ".config/goose/skills/demo"
    assert os.readlink(link) == "../../../.agents/skills/demo" and (link / "SKILL.md").is_file()
