"""A hostile registry: its documents lie about its tarballs. The client must believe the
tarball's own manifests, compare them with what it was told, and refuse any difference.

The registry is a real HTTP server on loopback (:mod:`tests.functional.fake_registry`)
serving tarballs made by the real packer; ``tank`` runs as a real subprocess.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tank.cli.exit_codes import ExitCode
from tests.conftest import SkillFactory, run_tank
from tests.functional.fake_registry import FakeRegistry, serve

DANGEROUS = {"network": {"outbound": ["api.example.com"]}, "subprocess": True}


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[tuple[FakeRegistry, dict[str, str]]]:
    """A fake registry and a client environment pointed at it (own config, cache, home)."""
    with serve() as registry:
        (tmp_path / "home").mkdir()
        env = {
            "TANK_CONFIG_DIR": str(tmp_path / "config"),
            "TANK_CACHE_DIR": str(tmp_path / "cache"),
            "TANK_HOME": str(tmp_path / "home"),
            "TANK_NO_KEYRING": "1",
            "TANK_REGISTRY": registry.url,
            "CI": "",
            "TANK_TOKEN": "",
            "NO_COLOR": "1",
        }
        yield registry, env


def project(root: Path, name: str, skills: dict[str, str]) -> Path:
    """A project folder whose skills.json requires ``skills``."""
    folder = root / name
    folder.mkdir()
    (folder / "skills.json").write_text(json.dumps({"name": name, "skills": skills}))
    return folder


def assert_refused(result: Any, folder: Path, *needles: str) -> None:
    """Exit INTEGRITY, the message names every needle, nothing linked, no lockfile."""
    assert result.returncode == ExitCode.INTEGRITY, result.stderr + result.stdout
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)
    assert not (folder / ".agents").exists()
    assert not (folder / "skills.lock").exists()


def test_document_understating_permissions_is_refused(
    hostile: tuple[FakeRegistry, dict[str, str]],
    skill_factory: SkillFactory,
    pack_skill: Callable[[Path], bytes],
    tmp_path: Path,
) -> None:
    registry, env = hostile
    tarball = pack_skill(skill_factory(scope="evil", name="tool", permissions=DANGEROUS))
    registry.add("@evil/tool", "1.0.0", tarball, permissions={})  # the lie: deny-all
    folder = project(tmp_path, "p", {"@evil/tool": "^1.0.0"})
    (folder / "skills.json").write_text(
        json.dumps({"name": "p", "skills": {"@evil/tool": "^1.0.0"}, "permissions": {}})
    )
    result = run_tank("install", cwd=folder, env=env)
    assert_refused(result, folder, "@evil/tool@1.0.0", "permissions", "api.example.com")


def test_tarball_of_another_package_is_refused(
    hostile: tuple[FakeRegistry, dict[str, str]],
    skill_factory: SkillFactory,
    pack_skill: Callable[[Path], bytes],
    tmp_path: Path,
) -> None:
    registry, env = hostile
    registry.add("@evil/tool", "1.0.0", pack_skill(skill_factory(scope="evil", name="other")))
    folder = project(tmp_path, "p", {"@evil/tool": "^1.0.0"})
    result = run_tank("install", cwd=folder, env=env)
    assert_refused(result, folder, "@evil/tool@1.0.0", "@evil/other", "'other'")


def test_version_mismatch_is_refused(
    hostile: tuple[FakeRegistry, dict[str, str]],
    skill_factory: SkillFactory,
    pack_skill: Callable[[Path], bytes],
    tmp_path: Path,
) -> None:
    registry, env = hostile
    tarball = pack_skill(skill_factory(scope="evil", name="tool", version="2.0.0"))
    registry.add("@evil/tool", "1.0.0", tarball)
    folder = project(tmp_path, "p", {"@evil/tool": "^1.0.0"})
    result = run_tank("install", cwd=folder, env=env)
    assert_refused(result, folder, "@evil/tool@1.0.0", "version", "2.0.0")


def test_hidden_dependency_is_refused(
    hostile: tuple[FakeRegistry, dict[str, str]],
    skill_factory: SkillFactory,
    pack_skill: Callable[[Path], bytes],
    tmp_path: Path,
) -> None:
    registry, env = hostile
    dep = pack_skill(skill_factory(scope="evil", name="dep"))
    registry.add("@evil/dep", "1.0.0", dep)
    # The tarball depends on @evil/dep; the document says it depends on nothing.
    tool = pack_skill(skill_factory(scope="evil", name="tool", deps={"@evil/dep": "^1.0.0"}))
    registry.add("@evil/tool", "1.0.0", tool, dependencies={})
    folder = project(tmp_path, "p", {"@evil/tool": "^1.0.0"})
    result = run_tank("install", cwd=folder, env=env)
    assert_refused(result, folder, "@evil/tool@1.0.0", "dependencies", "@evil/dep")


def test_lockfile_understating_permissions_is_refused_from_a_warm_cache(
    hostile: tuple[FakeRegistry, dict[str, str]],
    skill_factory: SkillFactory,
    pack_skill: Callable[[Path], bytes],
    tmp_path: Path,
) -> None:
    registry, env = hostile
    tarball = pack_skill(skill_factory(scope="evil", name="tool", permissions=DANGEROUS))
    registry.add("@evil/tool", "1.0.0", tarball, permissions=DANGEROUS)  # honest
    first = project(tmp_path, "first", {"@evil/tool": "^1.0.0"})
    ok = run_tank("install", cwd=first, env=env)
    assert ok.returncode == 0, ok.stderr
    lock = json.loads((first / "skills.lock").read_text())
    assert lock["skills"]["@evil/tool@1.0.0"]["permissions"] == DANGEROUS
    downloads = sum(p.endswith("/tarball") for p in registry.requests)

    # A second project gets an edited lockfile: the cache is warm, nothing is downloaded.
    lock["skills"]["@evil/tool@1.0.0"]["permissions"] = {}
    lock["resolved_permissions"] = {}
    second = project(tmp_path, "second", {"@evil/tool": "^1.0.0"})
    (second / "skills.lock").write_text(json.dumps(lock, indent=2) + "\n")
    result = run_tank("install", cwd=second, env=env)
    assert result.returncode == ExitCode.INTEGRITY, result.stderr
    assert "@evil/tool@1.0.0" in result.stderr and "permissions" in result.stderr
    assert not (second / ".agents").exists()
    assert sum(p.endswith("/tarball") for p in registry.requests) == downloads

    # The same edit in the installed project: the skill is unchanged on disk, still refused.
    (first / "skills.lock").write_text(json.dumps(lock, indent=2) + "\n")
    again = run_tank("install", cwd=first, env=env)
    assert again.returncode == ExitCode.INTEGRITY, again.stderr
    assert "permissions" in again.stderr
    assert json.loads((first / "skills.lock").read_text()) == lock  # not rewritten
