"""Yanked versions, PEP 592 style: ranges skip them, an exact pin installs one with a warning,
and ``list``, ``outdated`` and ``audit`` (text and ``--json``) mark a locked yanked version."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ClientWorld, SkillFactory
from tests.functional.test_cli_install import publish


@pytest.fixture
def yanked(client_world: ClientWorld, skill_factory: SkillFactory) -> ClientWorld:
    """@alice/y 1.0.0 and 1.0.1, with 1.0.1 yanked ("broken parser")."""
    world = client_world
    token = world.publisher("alice")
    for version in ("1.0.0", "1.0.1"):
        publish(world, token, skill_factory(scope="alice", name="y", version=version))
    answer = world.server.client(token).post(
        "/v1/skills/@alice/y/1.0.1/yank", json={"reason": "broken parser"}
    )
    assert answer.status_code == 200, answer.text
    return world


def test_a_range_skips_the_yanked_version(yanked: ClientWorld) -> None:
    project = yanked.project("p")
    result = yanked.tank("install", "@alice/y@^1.0.0", cwd=project)
    assert result.returncode == 0, result.stderr
    assert list(json.loads((project / "skills.lock").read_text())["skills"]) == ["@alice/y@1.0.0"]
    assert "yanked" not in result.stderr


def test_an_exact_pin_installs_the_yanked_version_and_every_view_marks_it(
    yanked: ClientWorld,
) -> None:
    world = yanked
    project = world.project("p")
    result = world.tank("install", "@alice/y@1.0.1", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "warning: @alice/y@1.0.1 was yanked by its publisher" in result.stderr
    assert list(json.loads((project / "skills.lock").read_text())["skills"]) == ["@alice/y@1.0.1"]
    again = world.tank("install", "--json", cwd=project)  # --json: the full path, not the no-op
    assert json.loads(again.stdout)["yanked"] == ["@alice/y@1.0.1"], again.stderr

    listed = world.tank("list", cwd=project)
    assert listed.returncode == 0, listed.stderr
    assert "YANKED" in listed.stdout
    entry = json.loads(world.tank("list", "--json", cwd=project).stdout)["skills"][0]
    assert entry["yanked"] is True
    # Offline, list still works and says the mark is unknown.
    offline = world.tank("list", "--json", cwd=project, env={"TANK_REGISTRY": "http://127.0.0.1:9"})
    assert offline.returncode == 0, offline.stderr
    assert "could not be asked" in offline.stderr
    assert json.loads(offline.stdout)["skills"][0]["yanked"] is None

    outdated = world.tank("outdated", cwd=project)
    assert "@alice/y" in outdated.stdout and "1.0.1 (yanked)" in outdated.stdout
    rows = json.loads(world.tank("outdated", "--json", cwd=project).stdout)["outdated"]
    assert rows == [{"name": "@alice/y", "current": "1.0.1", "wanted": None,
                     "latest": "1.0.0", "direct": True, "yanked": True}]  # fmt: skip

    audited = world.tank("audit", cwd=project)
    assert "YANKED: broken parser" in audited.stdout, audited.stdout
    report = json.loads(world.tank("audit", "--json", cwd=project).stdout)
    assert report["skills"][0]["yanked"] is True
    assert report["skills"][0]["yank_reason"] == "broken parser"
