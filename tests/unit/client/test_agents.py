"""Detecting agents from marker folders on disk, choosing them, and the folders they get."""

from __future__ import annotations

from pathlib import Path

import pytest

from tank.client.agents import agent, detect, detection, mirror_folders, overview, selected
from tank.client.paths import ProjectPaths
from tank.core.errors import UsageError


@pytest.fixture
def places(tmp_path: Path) -> tuple[Path, Path]:
    """An empty home folder and an empty project folder."""
    home, project = tmp_path / "home", tmp_path / "project"
    home.mkdir()
    project.mkdir()
    return home, project


def detected(project: Path, home: Path, *, is_global: bool = False) -> dict[str, str]:
    root = home if is_global else project
    found = detection(root, is_global=is_global, home=home)
    return {d.agent.id: d.marker for d in found if d.marker is not None}


def test_nothing_is_detected_in_empty_folders(places: tuple[Path, Path]) -> None:
    home, project = places
    assert detected(project, home) == {}
    assert [a.id for a in selected((), project, is_global=False, home=home)] == ["claude-code"]


def test_home_and_project_markers_say_which_marker(places: tuple[Path, Path]) -> None:
    home, project = places
    (home / ".codeium/windsurf").mkdir(parents=True)  # Windsurf installed on this machine
    (project / ".roo").mkdir()  # Roo Code used in this project
    (project / ".replit").write_text("run = 'x'\n")  # a file marker counts too
    assert detected(project, home) == {
        "windsurf": "~/.codeium/windsurf",
        "roo": ".roo",
        "replit": ".replit",
    }
    # -g: only the home folder counts (the project's markers say nothing about the user).
    assert detected(project, home, is_global=True) == {"windsurf": "~/.codeium/windsurf"}


def test_the_home_marker_wins_and_dangling_links_count(places: tuple[Path, Path]) -> None:
    home, project = places
    (home / ".claude").mkdir()
    (project / ".claude").mkdir()
    (project / ".cursor").symlink_to(project / "gone")
    claude, cursor = agent("claude-code"), agent("cursor")
    assert detect(claude, home=home, project=project) == "~/.claude"
    assert detect(cursor, home=home, project=project) == ".cursor"
    assert detect(cursor, home=home, project=None) is None


def test_detected_agents_get_links_unless_they_read_the_canonical_copy(
    places: tuple[Path, Path],
) -> None:
    home, project = places
    for marker in (".codeium/windsurf", ".cursor", ".trae", ".trae-cn"):
        (home / marker).mkdir(parents=True)
    chosen = selected((), project, is_global=False, home=home)
    assert [a.id for a in chosen] == ["claude-code", "cursor", "trae", "trae-cn", "windsurf"]
    # Cursor reads .agents/skills; Trae and Trae CN share one project folder.
    assert mirror_folders(chosen, is_global=False) == [
        ".claude/skills",
        ".trae/skills",
        ".windsurf/skills",
    ]
    assert mirror_folders(chosen, is_global=True) == [
        ".claude/skills",
        ".trae/skills",
        ".trae-cn/skills",
        ".codeium/windsurf/skills",
    ]


def test_named_agents_replace_detection(places: tuple[Path, Path]) -> None:
    home, project = places
    (home / ".codeium/windsurf").mkdir(parents=True)
    chosen = selected(("Roo", "github-copilot", "claude"), project, is_global=False, home=home)
    assert [a.id for a in chosen] == ["claude-code", "copilot", "roo"]
    assert mirror_folders(chosen, is_global=False) == [".claude/skills", ".roo/skills"]


def test_an_agent_without_user_folders_gets_no_global_link() -> None:
    promptscript = agent("promptscript")
    assert promptscript.user == ()
    assert mirror_folders([agent("claude-code"), promptscript], is_global=True) == [
        ".claude/skills"
    ]


def test_an_unknown_agent_is_a_usage_error_with_the_closest_ids() -> None:
    with pytest.raises(UsageError) as caught:
        agent("windsurfer")
    assert caught.value.code == "unknown_agent"
    assert caught.value.hint is not None
    assert "windsurf" in caught.value.hint and "tank agents" in caught.value.hint


def test_overview_reads_the_project_choice(
    places: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    home, project = places
    monkeypatch.setenv("TANK_HOME", str(home))
    (home / ".goose").mkdir()  # not Goose's marker (~/.config/goose): named, not detected
    paths = ProjectPaths(project, project)
    (project / "skills.json").write_text('{"name": "p", "skills": {}, "agents": ["goose"]}')
    view = overview(paths)
    assert view.named == ("goose",)
    assert [a.id for a in view.linked] == ["claude-code", "goose"]
    assert view.mirrors == [".claude/skills", ".goose/skills"]
    assert not any(d.detected for d in view.detections)
    assert len(view.detections) == len({d.agent.id for d in view.detections}) >= 78
