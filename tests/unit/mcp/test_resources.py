"""skill:// resources: URIs parsed strictly, reads bounded and confined to the skill folder."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from tank.client.paths import ProjectPaths
from tank.client.state import InstalledSkill, InstallState, dump_state
from tank.mcp import resources
from tank.mcp.resources import ResourceError


@pytest.fixture
def paths(tmp_path: Path) -> ProjectPaths:
    """A project with one installed skill ``notes`` (SKILL.md, refs/a.md, a binary file)."""
    project = ProjectPaths(tmp_path / "project", tmp_path / "project")
    folder = project.canonical / "notes"
    (folder / "refs").mkdir(parents=True)
    (folder / "SKILL.md").write_text("---\nname: notes\ndescription: Take notes.\n---\n# N\n")
    (folder / "refs/a.md").write_text("alpha")
    (folder / "logo.bin").write_bytes(b"\xff\x00\xfe")
    state = InstallState({"notes": InstalledSkill("@acme/notes", "1.0.0", "sha512-x")})
    project.state.write_bytes(dump_state(state) or b"")
    (tmp_path / "secret.txt").write_text("outside")
    return project


def test_lists_every_file_skill_md_first(paths: ProjectPaths) -> None:
    files = resources.list_files(paths)
    assert [f.uri for f in files] == [
        "skill://notes/SKILL.md",
        "skill://notes/logo.bin",
        "skill://notes/refs/a.md",
    ]
    assert files[0].description == "Take notes."


def test_reads_text_and_binary(paths: ProjectPaths) -> None:
    text = resources.read(paths, "skill://notes/refs/a.md")
    assert (text.text, text.mime_type) == ("alpha", "text/markdown")
    blob = resources.read(paths, "skill://notes/logo.bin")
    assert blob.text is None and blob.data == b"\xff\x00\xfe"


def test_skill_entries_carry_frontmatter_and_every_digest(paths: ProjectPaths) -> None:
    folder = paths.canonical / "notes"
    (folder / "SKILL.md").write_text(
        "---\nname: notes\ndescription: Take notes.\nmetadata: {v: '2'}\n---\n# N\n"
    )
    [found] = resources.entries(paths)
    assert found == resources.entry(paths, "skill://notes/SKILL.md")
    assert found["uri"] == "skill://notes/SKILL.md"
    assert found["frontmatter"] == {
        "name": "notes", "description": "Take notes.", "metadata": {"v": "2"}
    }  # fmt: skip
    digests = {r["uri"]: r["digest"] for r in found["resources"]}
    assert sorted(digests) == [
        "skill://notes/SKILL.md", "skill://notes/logo.bin", "skill://notes/refs/a.md"
    ]  # fmt: skip
    assert digests["skill://notes/refs/a.md"] == "sha256:" + hashlib.sha256(b"alpha").hexdigest()
    for uri in ("skill://notes/refs/a.md", "skill://other/SKILL.md"):
        with pytest.raises(ResourceError):
            resources.entry(paths, uri)


@pytest.mark.parametrize(
    "uri",
    [
        "skill://notes/../secret.txt",
        "skill://notes/%2e%2e/secret.txt",
        "skill://notes/refs%2f..%2f..%2fsecret.txt",
        "skill://notes//SKILL.md",
        "skill://notes/./SKILL.md",
        "skill://Notes/SKILL.md",
        "skill://notes",
        "file:///etc/passwd",
        "skill://" + "a/" * 40 + "x",
    ],
)
def test_refuses_paths_that_leave_the_skill(paths: ProjectPaths, uri: str) -> None:
    with pytest.raises(ResourceError):
        resources.read(paths, uri)


def test_never_follows_a_symlink(paths: ProjectPaths, tmp_path: Path) -> None:
    folder = paths.canonical / "notes"
    os.symlink(tmp_path / "secret.txt", folder / "leak.md")
    os.symlink(tmp_path, folder / "up")
    for uri in ("skill://notes/leak.md", "skill://notes/up/secret.txt"):
        with pytest.raises(ResourceError) as refused:
            resources.read(paths, uri)
        assert "outside" not in str(refused.value)
    assert "skill://notes/leak.md" not in [f.uri for f in resources.list_files(paths)]


def test_skills_not_installed_by_tank_are_not_served(paths: ProjectPaths) -> None:
    stray = paths.canonical / "stray"
    stray.mkdir()
    (stray / "SKILL.md").write_text("---\nname: stray\ndescription: x\n---\n")
    with pytest.raises(ResourceError) as missing:
        resources.read(paths, "skill://stray/SKILL.md")
    assert missing.value.code == "mcp.resource.not_found"


def test_reads_are_bounded(paths: ProjectPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resources, "MAX_FILE_BYTES", 4)
    with pytest.raises(ResourceError) as big:
        resources.read(paths, "skill://notes/refs/a.md")
    assert big.value.code == "mcp.resource.too_large"
