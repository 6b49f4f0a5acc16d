"""``tank guard install`` / ``remove`` on real settings files, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_tank

EXISTING: dict[str, Any] = {
    "model": "opus",
    "permissions": {"allow": ["Bash(npm test:*)"], "deny": ["Read(./.env)"]},
    "hooks": {
        "PreToolUse": [
            {"matcher": "Bash", "hooks": [{"type": "command", "command": "~/bin/check.sh"}]},
            {"matcher": "Write|Edit", "hooks": [{"type": "command", "command": "fmt"}]},
        ],
        "PostToolUse": [{"matcher": "Write", "hooks": [{"type": "command", "command": "lint"}]}],
    },
    "env": {"FOO": "1"},
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "skills.json").write_text('{"name": "p", "skills": {}}\n')
    return root


def settings_of(root: Path) -> Path:
    return root / ".claude" / "settings.json"


def ours(settings: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        h
        for g in settings.get("hooks", {}).get("PreToolUse", [])
        for h in g["hooks"]
        if h["command"].endswith("guard hook") or "guard hook " in h["command"]
    ]


def test_install_merges_and_remove_restores_the_users_settings(project: Path) -> None:
    path = settings_of(project)
    path.parent.mkdir()
    path.write_text(json.dumps(EXISTING, indent=4))
    done = run_tank("guard", "install", cwd=project)
    assert done.returncode == 0, done.stderr
    after = json.loads(path.read_text())
    assert {k: v for k, v in after.items() if k != "hooks"} == {
        k: v for k, v in EXISTING.items() if k != "hooks"
    }
    groups = after["hooks"]["PreToolUse"]
    assert groups[:2] == EXISTING["hooks"]["PreToolUse"]
    assert groups[2]["matcher"] == "Bash"
    [hook] = groups[2]["hooks"]
    assert hook["type"] == "command" and hook["command"].endswith("guard hook")
    assert after["hooks"]["PostToolUse"] == EXISTING["hooks"]["PostToolUse"]

    first = path.read_bytes()
    again = run_tank("guard", "install", cwd=project)
    assert again.returncode == 0 and "already" in again.stdout
    assert path.read_bytes() == first

    gone = run_tank("guard", "remove", cwd=project)
    assert gone.returncode == 0, gone.stderr
    restored = json.loads(path.read_text())
    assert restored == EXISTING
    assert list(restored) == list(EXISTING)
    assert run_tank("guard", "remove", cwd=project).stdout.startswith("No Tank guard hook")


def test_install_into_a_missing_file_and_remove_leaves_an_empty_object(project: Path) -> None:
    done = run_tank("guard", "install", "--json", cwd=project)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["installed"] is True
    assert len(ours(json.loads(settings_of(project).read_text()))) == 1
    assert run_tank("guard", "remove", cwd=project).returncode == 0
    assert json.loads(settings_of(project).read_text()) == {}


def test_auto_approve_is_written_into_the_hook_command(project: Path) -> None:
    assert run_tank("guard", "install", "--auto-approve", cwd=project).returncode == 0
    [hook] = ours(json.loads(settings_of(project).read_text()))
    assert hook["command"].endswith("guard hook --auto-approve")
    assert run_tank("guard", "remove", cwd=project).returncode == 0
    assert ours(json.loads(settings_of(project).read_text())) == []


def test_global_install_writes_the_users_settings(tmp_path: Path, project: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {"TANK_HOME": str(home)}
    assert run_tank("guard", "install", "-g", cwd=project, env=env).returncode == 0
    assert len(ours(json.loads((home / ".claude" / "settings.json").read_text()))) == 1
    assert not settings_of(project).exists()


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ('{"hooks": {', "not valid JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"hooks": []}', "`hooks` is not an object"),
        ('{"hooks": {"PreToolUse": {"matcher": "Bash"}}}', "is not a list"),
        ('{"hooks": {"PreToolUse": ["x"]}}', "not a matcher group"),
    ],
)
def test_a_malformed_settings_file_is_refused_and_left_untouched(
    project: Path, text: str, why: str
) -> None:
    path = settings_of(project)
    path.parent.mkdir()
    path.write_text(text)
    for verb in ("install", "remove"):
        done = run_tank("guard", verb, cwd=project)
        assert done.returncode != 0
        assert str(path) in done.stderr and why in done.stderr
        assert path.read_text() == text
    assert not [p for p in path.parent.iterdir() if p.name != "settings.json"]


def test_the_help_lists_guard() -> None:
    done = run_tank("--help")
    assert "guard" in done.stdout


def test_a_symlinked_settings_file_stays_a_symlink(tmp_path: Path, project: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    (dotfiles / "claude.json").write_text('{"model": "opus"}\n')
    path = settings_of(project)
    path.parent.mkdir()
    path.symlink_to(dotfiles / "claude.json")
    assert run_tank("guard", "install", cwd=project).returncode == 0
    assert path.is_symlink()
    assert len(ours(json.loads((dotfiles / "claude.json").read_text()))) == 1
    assert run_tank("guard", "remove", cwd=project).returncode == 0
    assert path.is_symlink()
    assert json.loads((dotfiles / "claude.json").read_text()) == {"model": "opus"}


def test_guard_hook_help_is_clicks_not_the_hook() -> None:
    done = run_tank("guard", "hook", "--help", input='{"tool_name": "Bash"}')
    assert done.returncode == 0 and done.stdout.startswith("Usage: tank guard hook")
