"""Locking a project against skill folders on disk: real packs, real resolution."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tank.client.folders import FolderProvider, lock_project
from tank.client.local import read_project
from tank.core.errors import ResolutionError
from tank.core.lockfile import BudgetCheck, dump_lockfile, parse_lockfile
from tank.core.manifest import ManifestKind, parse_manifest

ROOT = Path(__file__).resolve().parents[3]


def make_skill(root: Path, name: str, version: str, deps: dict[str, str], perms: object) -> Path:
    folder = root / f"{name}-{version}" / name
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text(
        f"---\nname: {name}\ndescription: The {name} skill.\n---\n\n# {name}\n\nDo things.\n"
    )
    manifest = {"name": f"@t/{name}", "version": version, "skills": deps, "permissions": perms}
    (folder / "skills.json").write_text(json.dumps(manifest))
    return folder


def project(skills: dict[str, str], permissions: object | None = None):  # type: ignore[no-untyped-def]
    data: dict[str, object] = {"name": "p", "skills": skills}
    if permissions is not None:
        data["permissions"] = permissions
    manifest, report = parse_manifest(json.dumps(data), kind=ManifestKind.PROJECT)
    assert report.ok, report.problems
    return manifest


def test_example_lockfile_is_current() -> None:
    manifest, _ = read_project(ROOT / "examples" / "project")
    assert manifest is not None
    skills = sorted(p for p in (ROOT / "examples" / "skills").iterdir() if p.is_dir())
    fresh = dump_lockfile(lock_project(manifest, FolderProvider(skills)))
    committed = (ROOT / "examples" / "project" / "skills.lock").read_text()
    assert committed == fresh, "run `python scripts/gen_example_lock.py`"
    assert parse_lockfile(committed).permission_budget_check is BudgetCheck.PASS


def test_transitive_lock_and_budget(tmp_path: Path) -> None:
    folders = [
        make_skill(tmp_path, "app", "1.0.0", {"@t/lib": "^1.0.0"}, {}),
        make_skill(tmp_path, "lib", "1.0.0", {}, {}),
        make_skill(tmp_path, "lib", "1.4.2", {}, {"network": {"outbound": ["x.dev"]}}),
        make_skill(tmp_path, "lib", "2.0.0", {}, {}),
    ]
    provider = FolderProvider(folders)
    lock = lock_project(project({"@t/app": "^1"}, permissions={}), provider)
    assert lock.versions == {
        "@t/app": provider.versions("@t/app")[0],
        "@t/lib": provider.versions("@t/lib")[1],
    }
    assert str(lock.versions["@t/lib"]) == "1.4.2"
    # lib 1.4.2 wants the network; the empty budget allows nothing.
    assert lock.permission_budget_check is BudgetCheck.FAIL
    assert (
        lock_project(project({"@t/app": "^1"}), provider).permission_budget_check
        is BudgetCheck.NO_BUDGET
    )


def test_conflict_is_explained(tmp_path: Path) -> None:
    folders = [
        make_skill(tmp_path, "app", "1.0.0", {"@t/lib": "^2.0.0"}, {}),
        make_skill(tmp_path, "lib", "1.0.0", {}, {}),
        make_skill(tmp_path, "lib", "2.0.0", {}, {}),
    ]
    with pytest.raises(ResolutionError) as caught:
        lock_project(project({"@t/app": "^1", "@t/lib": "^1"}), FolderProvider(folders))
    message = str(caught.value)
    assert "@t/app" in message and "@t/lib" in message
