"""validate, pack, init and permissions, run in-process on real folders."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tank.cli.exit_codes import ExitCode
from tank.core.integrity import sri_sha512

from .conftest import Tank

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples" / "skills"
EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir())


@pytest.fixture
def skill(tmp_path: Path) -> Path:
    """A copy of the weather-report example in a temporary folder of the same name."""
    target = tmp_path / "weather-report"
    shutil.copytree(EXAMPLES / "weather-report", target)
    return target


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_example_validates(tank: Tank, name: str) -> None:
    result = tank("validate", str(EXAMPLES / name), "--json")
    data = json.loads(result.out)
    assert result.code == ExitCode.OK, data
    assert data["valid"] is True
    assert data["kind"] == "skill"
    assert data["name"] == f"@examples/{name}"


def test_validate_project(tank: Tank) -> None:
    result = tank("validate", str(ROOT / "examples" / "project"))
    assert result.code == ExitCode.OK, result.err
    assert "project" in result.out


def test_validate_reports_problem_with_file_and_line(tank: Tank, skill: Path) -> None:
    text = (skill / "SKILL.md").read_text()
    (skill / "SKILL.md").write_text(text.replace("name: weather-report", "name: Weather--Report"))
    result = tank("validate", str(skill))
    assert result.code == ExitCode.INVALID
    assert "SKILL.md:2" in result.err
    assert "hint" in result.err
    as_json = tank("validate", str(skill), "--json")
    assert as_json.code == ExitCode.INVALID
    problems = json.loads(as_json.out)["problems"]
    assert any(p["file"].endswith("SKILL.md") and p["line"] == 2 for p in problems)


def test_validate_refuses_symlink(tank: Tank, skill: Path) -> None:
    os.symlink("/etc/passwd", skill / "passwd")
    result = tank("validate", str(skill))
    assert result.code == ExitCode.UNSAFE_ARCHIVE
    assert "passwd" in result.err


def test_pack_json_and_reproducible(tank: Tank, skill: Path, tmp_path: Path) -> None:
    first = tank("pack", str(skill), "--out", str(tmp_path / "a"), "--json")
    assert first.code == ExitCode.OK, first.err
    data = json.loads(first.out)
    assert set(data) >= {"name", "version", "path", "size", "files", "integrity"}
    assert Path(data["path"]).name == "examples-weather-report-1.0.0.tgz"
    blob = Path(data["path"]).read_bytes()
    assert data["integrity"] == sri_sha512(blob)
    assert data["size"] == len(blob)
    # A differently named copy with other mtimes packs to the same bytes.
    other = tmp_path / "elsewhere" / "weather-report"
    shutil.copytree(skill, other)
    for path in other.rglob("*"):
        os.utime(path, (1, 1))
    second = tank("pack", str(other), "--out", str(tmp_path / "b"), "--json")
    assert json.loads(second.out)["integrity"] == data["integrity"]


def test_pack_refuses_invalid_skill(tank: Tank, skill: Path, tmp_path: Path) -> None:
    (skill / "skills.json").write_text('{"name": "@examples/other", "version": "1.0.0"}')
    result = tank("pack", str(skill), "--out", str(tmp_path / "out"))
    assert result.code == ExitCode.INVALID
    assert not list((tmp_path / "out").glob("*.tgz")) if (tmp_path / "out").exists() else True


def test_pack_error_as_json(tank: Tank, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "SKILL.md").write_text("no frontmatter here\n")
    result = tank("pack", str(empty), "--json")
    assert result.code == ExitCode.INVALID
    assert json.loads(result.out)["error"]["problems"]


def test_init_skill_yes(tank: Tank, tmp_path: Path) -> None:
    folder = tmp_path / "pdf-tools"
    result = tank("init", str(folder), "--skill", "--scope", "acme", "--yes")
    assert result.code == ExitCode.OK, result.err
    manifest = json.loads((folder / "skills.json").read_text())
    assert manifest["name"] == "@acme/pdf-tools"
    assert (folder / "SKILL.md").is_file()
    # What init wrote validates strictly.
    assert tank("validate", str(folder)).code == ExitCode.OK


def test_init_project_and_no_overwrite(tank: Tank, tmp_path: Path) -> None:
    assert tank("init", str(tmp_path), "--yes").code == ExitCode.OK
    manifest = json.loads((tmp_path / "skills.json").read_text())
    assert "permissions" not in manifest  # no budget yet: the first install records one
    again = tank("init", str(tmp_path), "--yes")
    assert again.code == ExitCode.USAGE
    assert "--force" in again.err


def test_init_rejects_bad_scope(tank: Tank, tmp_path: Path) -> None:
    result = tank("init", str(tmp_path / "x"), "--skill", "--scope", "Bad Scope!", "--yes")
    assert result.code == ExitCode.USAGE
    assert not (tmp_path / "x" / "skills.json").exists()


def test_permissions_of_skill_and_project(tank: Tank) -> None:
    skill = tank("permissions", str(EXAMPLES / "weather-report"), "--json")
    assert skill.code == ExitCode.OK, skill.err
    data = json.loads(skill.out)
    assert data["kind"] == "skill"
    assert data["dangerous"] is True
    assert "api.open-meteo.com" in data["permissions"]["network"]["outbound"]
    project = tank("permissions", str(ROOT / "examples" / "project"))
    assert project.code == ExitCode.OK
    assert "permission budget" in project.out


def test_permissions_without_manifest(tank: Tank, tmp_path: Path) -> None:
    result = tank("permissions", str(tmp_path))
    assert result.code == ExitCode.USAGE
    assert "tank init" in result.err
