"""`audit.require_signing`: `tank validate` accepts it; `tank install` refuses unsigned skills,
skills from disk included (they carry no publisher signature), online and offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tank.cli.exit_codes import ExitCode
from tests.unit.cli.conftest import Tank


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose skills.json asks for signed skills; the current folder."""
    skill = tmp_path / "mine"
    skill.mkdir()
    (skill / "SKILL.md").write_text(
        "---\nname: mine\ndescription: My own skill, for tests.\n---\n\n# mine\n\nDo it.\n"
    )
    manifest = {"name": "@me/mine", "version": "1.0.0", "description": "My own skill."}
    (skill / "skills.json").write_text(json.dumps(manifest))
    data = {"skills": {}, "audit": {"require_signing": True}}
    (tmp_path / "skills.json").write_text(json.dumps(data, indent=2) + "\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI", raising=False)  # in CI, install would be --frozen
    monkeypatch.setenv("TANK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("TANK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TANK_HOME", str(tmp_path / "home"))
    return tmp_path


def test_validate_accepts_require_signing(tank: Tank, project: Path) -> None:
    done = tank("validate", str(project))
    assert done.code == ExitCode.OK, done.out + done.err


def test_an_empty_project_installs(tank: Tank, project: Path) -> None:
    done = tank("install")
    assert done.code == ExitCode.OK, done.out + done.err


@pytest.mark.parametrize("offline", [False, True])
def test_a_skill_from_disk_is_refused_as_unsigned(tank: Tank, project: Path, offline: bool) -> None:
    if offline:  # lock it first without the policy, then install offline with it
        data = json.loads((project / "skills.json").read_text())
        data["audit"]["require_signing"] = False
        (project / "skills.json").write_text(json.dumps(data))
        assert tank("install", "./mine").code == ExitCode.OK
        data = json.loads((project / "skills.json").read_text())
        data["audit"]["require_signing"] = True
        (project / "skills.json").write_text(json.dumps(data))
        done = tank("install", "--offline")
    else:
        done = tank("install", "./mine")
    assert done.code == ExitCode.AUDIT, done.out + done.err
    assert "audit.require_signing is true" in done.err
    assert "@me/mine" in done.err and "not signed" in done.err
    assert "hint:" in done.err
    assert not (project / ".agents" / "skills" / "mine").exists() or offline
