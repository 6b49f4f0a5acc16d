"""Reading installed folders: stamps and digests, never through a link."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tank.client.drift import found, looks_clean, stamps, unchanged
from tank.core.verification import Found, expected_of


def make(root: Path) -> Path:
    folder = root / "skill"
    (folder / "scripts").mkdir(parents=True)
    (folder / "SKILL.md").write_text("---\nname: skill\n---\n")
    (folder / "scripts/run.sh").write_text("echo\n")
    (folder / "scripts/run.sh").chmod(0o755)
    return folder


def test_stamps_change_with_content_mode_and_files(tmp_path: Path) -> None:
    folder = make(tmp_path)
    recorded = stamps(folder) or {}
    assert set(recorded) == {".", "scripts", "SKILL.md", "scripts/run.sh"}
    assert recorded["scripts/run.sh"].endswith(":1") and recorded["."].startswith("d:")
    assert unchanged(folder, recorded)
    assert not unchanged(folder, {})  # nothing recorded: never clean
    (folder / "scripts/new.md").write_text("x")
    assert not unchanged(folder, recorded)  # the folder's mtime moved
    (folder / "scripts/new.md").unlink()
    recorded = stamps(folder) or {}
    (folder / "scripts/run.sh").chmod(0o644)
    assert not unchanged(folder, recorded)
    (folder / "scripts/run.sh").chmod(0o755)
    assert unchanged(folder, recorded)
    (folder / "scripts/link").symlink_to("/etc/passwd")
    assert stamps(folder) is None  # a link inside: not what Tank placed
    assert not unchanged(folder, recorded)
    (folder / "scripts/link").unlink()
    (folder / "SKILL.md").unlink()
    assert not unchanged(folder, recorded)


def test_found_hashes_expected_files_and_never_follows_links(tmp_path: Path) -> None:
    folder = make(tmp_path)
    expected = expected_of(
        [("SKILL.md", b"---\nname: skill\n---\n", False), ("scripts/run.sh", b"echo\n", True)]
    )
    outside = tmp_path / "secret"
    outside.write_text("secret")
    (folder / "leak").symlink_to(outside)
    (folder / "big.bin").write_bytes(b"\0" * 10)
    entries = found(folder, expected) or {}
    assert entries["SKILL.md"] == Found("file", expected["SKILL.md"].sha256, False)
    assert entries["scripts/run.sh"].executable is True
    assert entries["leak"] == Found("symlink")
    assert entries["big.bin"] == Found("file", None, False)  # added: listed, not read
    assert found(tmp_path / "missing", expected) is None
    (tmp_path / "as-link").symlink_to(folder)
    assert found(tmp_path / "as-link", expected) is None  # the folder itself is a link


def test_looks_clean_checks_mirror_links_and_copies(tmp_path: Path) -> None:
    folder = make(tmp_path)
    recorded = stamps(folder) or {}
    mirrors = tmp_path / "mirrors"
    mirrors.mkdir()
    link = mirrors / "skill"
    link.symlink_to(os.path.relpath(folder, mirrors))
    assert looks_clean(folder, [link], recorded)
    link.unlink()
    link.symlink_to(tmp_path)
    assert not looks_clean(folder, [link], recorded)
    link.unlink()
    assert not looks_clean(folder, [link], recorded)
    shutil.copytree(folder, link)  # a copy (no symlinks here): same files, its own folders
    assert looks_clean(folder, [link], recorded)
    (link / "scripts/run.sh").write_text("changed\n")
    assert not looks_clean(folder, [link], recorded)
