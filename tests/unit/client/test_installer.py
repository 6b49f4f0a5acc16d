"""Planning an install: ownership, conflicts, agent folders; linking modes; the no-op check."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tank.client.agents import mirror_folders, selected
from tank.client.drift import stamps
from tank.client.installer import InstallConflict, make_plan
from tank.client.linking import Linker
from tank.client.noop import up_to_date
from tank.client.operations import parse_spec
from tank.client.paths import project_paths
from tank.client.state import InstalledSkill, InstallState, digest, dump_state
from tank.core.errors import UsageError
from tank.core.lockfile import BudgetCheck, LockedSkill, Lockfile, PackageMeta
from tank.core.permissions import Permissions
from tank.core.semver import parse_version

INTEGRITY = "sha512-" + "A" * 86 + "=="


def _lock(*names: str) -> Lockfile:
    one = parse_version("1.0.0")
    skills = tuple(
        LockedSkill(n, one, PackageMeta(INTEGRITY, f"/v1/skills/{n}/1.0.0/tarball")) for n in names
    )
    return Lockfile(skills, Permissions.none(), BudgetCheck.NO_BUDGET)


def test_same_folder_name_in_two_scopes_is_a_conflict(tmp_path: Path) -> None:
    with pytest.raises(InstallConflict, match="@a/pdf and @b/pdf"):
        make_plan(project_paths(tmp_path), _lock("@a/pdf", "@b/pdf"), InstallState(), ())


def test_foreign_folder_and_foreign_link_are_refused(tmp_path: Path) -> None:
    paths = project_paths(tmp_path)
    (tmp_path / ".agents/skills/pdf").mkdir(parents=True)
    with pytest.raises(InstallConflict, match="not installed by Tank"):
        make_plan(paths, _lock("@a/pdf"), InstallState(), (".claude/skills",))
    (tmp_path / ".agents/skills/pdf").rmdir()
    (tmp_path / ".claude/skills").mkdir(parents=True)
    (tmp_path / ".claude/skills/pdf").symlink_to("/etc")
    with pytest.raises(InstallConflict, match=r"\.claude/skills/pdf"):
        make_plan(paths, _lock("@a/pdf"), InstallState(), (".claude/skills",))


def test_plan_adds_changes_and_removes(tmp_path: Path) -> None:
    paths = project_paths(tmp_path)
    (tmp_path / ".agents/skills/old").mkdir(parents=True)
    (tmp_path / ".agents/skills/same").mkdir(parents=True)
    state = InstallState({
        "old": InstalledSkill("@a/old", "1.0.0", INTEGRITY),
        "same": InstalledSkill("@a/same", "1.0.0", INTEGRITY),
    })  # fmt: skip
    plan = make_plan(paths, _lock("@a/same", "@a/new"), state, ())
    assert (plan.add, plan.change, plan.remove) == (["new"], [], ["old"])


def test_agent_selection_and_mirrors(tmp_path: Path) -> None:
    names = [a.id for a in selected((), tmp_path, is_global=False)]
    assert names == ["claude-code"]
    (tmp_path / ".windsurf").mkdir()
    (tmp_path / ".cursor").mkdir()
    chosen = selected((), tmp_path, is_global=False)
    assert [a.id for a in chosen] == ["claude-code", "cursor", "windsurf"]
    # Cursor reads .agents/skills itself: no link for it.
    assert mirror_folders(chosen, is_global=False) == [".claude/skills", ".windsurf/skills"]
    user = selected(("gemini", "codex"), tmp_path, is_global=True)
    assert mirror_folders(user, is_global=True) == [".claude/skills", ".gemini/skills"]
    with pytest.raises(UsageError, match="unknown agent"):
        selected(("notepad",), tmp_path, is_global=False)


def test_linker_falls_back_to_copy_across_devices(tmp_path: Path) -> None:
    source = tmp_path / "src.txt"
    source.write_text("x")
    linker = Linker("copy")
    linker.place(source, tmp_path / "copy.txt")
    assert linker.used == {"copy"}
    assert os.stat(tmp_path / "copy.txt").st_ino != os.stat(source).st_ino
    auto = Linker()
    auto.place(source, tmp_path / "link.txt")
    assert auto.used == {"hardlink"}
    assert os.stat(tmp_path / "link.txt").st_ino == os.stat(source).st_ino
    with pytest.raises(UsageError):
        Linker("symlink")


def test_noop_only_when_inputs_and_disk_match(tmp_path: Path) -> None:
    (tmp_path / "skills.json").write_text('{"name": "p", "skills": {"@a/x": "^1"}}')
    (tmp_path / "skills.lock").write_text("lock")
    (tmp_path / ".agents/skills/x").mkdir(parents=True)
    skill_md = tmp_path / ".agents/skills/x/SKILL.md"
    skill_md.write_text("---\nname: x\n---\n")
    (tmp_path / ".claude/skills").mkdir(parents=True)
    (tmp_path / ".claude/skills/x").symlink_to("../../.agents/skills/x")
    recorded = stamps(tmp_path / ".agents/skills/x") or {}
    state = InstallState(
        {"x": InstalledSkill("@a/x", "1.0.0", INTEGRITY, (".claude/skills/x",), recorded)},
        digest((tmp_path / "skills.json").read_bytes()),
        digest(b"lock"),
        (".claude/skills",),
    )
    (tmp_path / ".agents/.tank-install.json").write_bytes(dump_state(state) or b"")
    assert up_to_date(tmp_path) == 1
    (tmp_path / ".claude/skills/x").unlink()
    assert up_to_date(tmp_path) is None  # a link is missing
    (tmp_path / ".claude/skills/x").symlink_to("../../.agents/skills")
    assert up_to_date(tmp_path) is None  # a link points elsewhere
    (tmp_path / ".claude/skills/x").unlink()
    (tmp_path / ".claude/skills/x").symlink_to("../../.agents/skills/x")
    assert up_to_date(tmp_path) == 1
    before = skill_md.stat()
    skill_md.write_text("---\nname: y\n---\n")  # same size, new mtime
    assert up_to_date(tmp_path) is None  # a file was edited
    os.utime(skill_md, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert up_to_date(tmp_path) == 1  # the stamp check trusts size and mtime (verify hashes)
    skill_md.chmod(0o755)
    assert up_to_date(tmp_path) is None  # the exec bit changed
    skill_md.chmod(before.st_mode)
    (tmp_path / ".agents/skills/x/extra.sh").write_text("echo hi\n")
    assert up_to_date(tmp_path) is None  # a file was added (its folder's mtime moved)
    (tmp_path / ".agents/skills/x/extra.sh").unlink()
    assert up_to_date(tmp_path) is None  # the folder's mtime moved: the full install looks
    (tmp_path / ".windsurf").mkdir()
    assert up_to_date(tmp_path) is None  # a new agent appeared
    (tmp_path / ".windsurf").rmdir()
    (tmp_path / "skills.lock").write_text("edited")
    assert up_to_date(tmp_path) is None


@pytest.mark.parametrize(
    ("text", "name", "range_", "path"),
    [
        ("@acme/pdf", "@acme/pdf", None, None),
        ("@acme/pdf@^1.2", "@acme/pdf", "^1.2", None),
        ("@acme/pdf@1.2.3", "@acme/pdf", "1.2.3", None),
        ("./skills/pdf", "", None, "./skills/pdf"),
        ("dist/pdf-1.0.0.tgz", "", None, "dist/pdf-1.0.0.tgz"),
    ],
)
def test_parse_spec(text: str, name: str, range_: str | None, path: str | None) -> None:
    spec = parse_spec(text)
    assert (spec.name, spec.range, spec.path) == (name, range_, path)


@pytest.mark.parametrize("text", ["pdf", "@acme", "@Acme/pdf", "@acme/pdf@not-a-range!", "@a/../x"])
def test_parse_spec_refuses_bad_names(text: str) -> None:
    with pytest.raises(UsageError if "range" not in text else Exception):
        parse_spec(text)
