"""Canonical packing: reproducible bytes, ignore rules, refusals and limits."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import shutil
import socket
import sys
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tank.core.errors import PackError
from tank.core.limits import DEFAULT_LIMITS, ArchiveLimits
from tank.core.pack import (
    CANONICAL_MTIME,
    canonical_gzip,
    canonical_tar,
    pack_files,
    pack_folder,
    read_tree,
)
from tank.core.unpack import files_of, read_archive

Files = Mapping[str, tuple[bytes, bool]]

SAMPLE: Files = {
    "SKILL.md": (b"---\nname: demo\n---\n# Demo\n", False),
    "skills.json": (b'{"name": "@acme/demo"}\n', False),
    "scripts/run.sh": (b"#!/bin/sh\necho hi\n", True),
    "scripts/lib/util.py": (b"X = 1\n", False),
    "docs/caf\u00e9.md": ("é\n".encode(), False),
    "docs/" + "n" * 90 + "/" + "m" * 90 + ".md": (b"long path\n", False),
}

#: The uncompressed canonical tar of SAMPLE. If this changes, every published archive's bytes
#: change and registries stop reproducing old uploads: change it only on purpose.
GOLDEN_TAR_SHA256 = "da4818e03847b783a987d5590798d032960c30617c3270a3b101a231529b46be"


def write_tree(root: Path, files: Files) -> Path:
    """Create ``files`` under ``root`` with their executable bits; return ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for path, (data, executable) in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        target.chmod(0o755 if executable else 0o644)
    return root


@contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def pack_error(root: Path, limits: ArchiveLimits = DEFAULT_LIMITS) -> PackError:
    with pytest.raises(PackError) as caught:
        pack_folder(root, limits)
    return caught.value


# --- reproducibility ------------------------------------------------------------------------


def test_same_folder_packs_to_same_bytes(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "skill", SAMPLE)
    first, second = pack_folder(root), pack_folder(root)
    assert first.data == second.data
    assert first.integrity == second.integrity


def test_differently_named_copies_pack_identically(tmp_path: Path) -> None:
    one = write_tree(tmp_path / "one", SAMPLE)
    other = tmp_path / "elsewhere" / "a-different-name"
    shutil.copytree(one, other)
    assert pack_folder(one).data == pack_folder(other).data


def test_metadata_differences_do_not_change_bytes(tmp_path: Path) -> None:
    with umask(0o022):
        plain = write_tree(tmp_path / "plain", SAMPLE)
    with umask(0o077):
        private = write_tree(tmp_path / "private", dict(reversed(list(SAMPLE.items()))))
    for path, (_, executable) in SAMPLE.items():
        # Group/other bits and timestamps differ; only the owner-exec bit should count.
        (private / path).chmod(0o700 if executable else 0o600)
        os.utime(private / path, (1_000_000_000, 1_234_567_890))
    os.utime(private / "scripts", (5, 5))
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        for path in SAMPLE:
            os.chown(private / path, 1234, 5678)
    assert pack_folder(plain).data == pack_folder(private).data


def test_pack_files_matches_pack_folder(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "skill", SAMPLE)
    assert pack_files(SAMPLE).data == pack_folder(root).data


def test_read_tree_is_the_folder_without_ignore_rules(tmp_path: Path) -> None:
    """read_tree (the installed-skill check) reads what pack_folder packs, ignored files too."""
    root = write_tree(tmp_path / "demo", SAMPLE)
    files = read_tree(root)
    assert [path for path, _, _ in files] == sorted(SAMPLE)
    assert canonical_gzip(canonical_tar(files)) == pack_folder(root).data
    (root / "scripts/__pycache__").mkdir()
    (root / "scripts/__pycache__/util.cpython-311.pyc").write_bytes(b"planted")
    assert "scripts/__pycache__/util.cpython-311.pyc" in [p for p, _, _ in read_tree(root)]
    assert canonical_gzip(canonical_tar(read_tree(root))) != pack_folder(root).data
    (root / "link").symlink_to(root / "SKILL.md")
    with pytest.raises(PackError, match="link"):
        read_tree(root)


def test_golden_tar_digest() -> None:
    tar = gzip.decompress(pack_files(SAMPLE).data)
    assert hashlib.sha256(tar).hexdigest() == GOLDEN_TAR_SHA256


names = st.text(alphabet=st.sampled_from("abcXYZ019_-.é"), min_size=1, max_size=8).filter(
    lambda name: name not in (".", "..") and name.lower() not in ("__pycache__",)
)
trees = st.dictionaries(
    st.lists(names, min_size=1, max_size=3).map("/".join),
    st.tuples(st.binary(max_size=64), st.booleans()),
    min_size=1,
    max_size=8,
)


def _portable(files: Files) -> bool:
    """No path is a prefix-directory of another, and none collide by case or normal form."""
    try:
        pack_files(files)
    except PackError:
        return False
    return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees)
def test_random_trees_pack_reproducibly(files: dict[str, tuple[bytes, bool]]) -> None:
    files = {
        path: value
        for path, value in files.items()
        if not path.endswith(".pyc") and ".DS_Store" not in path
    }
    if not files or not _portable(files):
        return
    with tempfile.TemporaryDirectory() as scratch:
        one = write_tree(Path(scratch) / "one", files)
        two = write_tree(Path(scratch) / "two", dict(reversed(list(files.items()))))
        packed = pack_folder(one)
        assert packed.data == pack_folder(two).data == pack_files(files).data
    members = read_archive(packed.data)
    assert files_of(members) == files
    assert pack_files(files_of(members)).data == packed.data


# --- format ---------------------------------------------------------------------------------


def test_canonical_tar_metadata() -> None:
    packed = pack_files(SAMPLE)
    with tarfile.open(fileobj=io.BytesIO(packed.data), mode="r:gz") as tar:
        members = tar.getmembers()
    names = [m.name for m in members]
    assert names == sorted(names)
    assert names[:3] == ["SKILL.md", "docs", "docs/caf\u00e9.md"]
    for member in members:
        assert member.isfile() or member.isdir()
        assert (member.uid, member.gid, member.uname, member.gname) == (0, 0, "", "")
        assert member.mtime == CANONICAL_MTIME
        expected = 0o755 if member.isdir() or member.name == "scripts/run.sh" else 0o644
        assert member.mode == expected, member.name
        assert not member.name.startswith(("/", "./"))


def test_gzip_header_is_fixed() -> None:
    data = pack_files(SAMPLE).data
    # magic, deflate, no flags (no file name), mtime 0, XFL 2 (level 9), OS 255 (unknown)
    assert data[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    assert gzip.decompress(canonical_gzip(b"abc")) == b"abc"


def test_pax_headers_only_when_needed() -> None:
    ascii_only = gzip.decompress(pack_files({"a.md": (b"x", False)}).data)
    assert b"PaxHeader" not in ascii_only
    unicode = gzip.decompress(pack_files({"caf\u00e9.md": (b"x", False)}).data)
    assert b"path=caf\xc3\xa9.md" in unicode


def test_listing_and_sizes() -> None:
    packed = pack_files(SAMPLE)
    assert [f.path for f in packed.files] == sorted(SAMPLE)
    run = next(f for f in packed.files if f.path == "scripts/run.sh")
    assert run.executable
    assert run.sha256 == hashlib.sha256(SAMPLE["scripts/run.sh"][0]).hexdigest()
    assert packed.size == len(packed.data)
    assert packed.unpacked_size == sum(len(d) for d, _ in SAMPLE.values())
    assert packed.integrity.startswith("sha512-")


def test_empty_directories_are_not_packed(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "skill", {"SKILL.md": (b"x", False)})
    (root / "empty" / "nested").mkdir(parents=True)
    assert pack_folder(root).data == pack_files({"SKILL.md": (b"x", False)}).data


# --- ignore rules ---------------------------------------------------------------------------


def test_always_ignored(tmp_path: Path) -> None:
    junk: Files = {
        ".git/config": (b"[remote] token=secret", False),
        "sub/.git": (b"gitdir: ../.git/modules/sub", False),
        "node_modules/x/index.js": (b"", False),
        "scripts/__pycache__/util.cpython-311.pyc": (b"", False),
        "scripts/old.pyc": (b"", False),
        ".DS_Store": (b"", False),
        "docs/.DS_Store": (b"", False),
        ".tankignore": (b"# nothing\n", False),
    }
    root = write_tree(tmp_path / "skill", {**SAMPLE, **junk})
    assert pack_folder(root).data == pack_files(SAMPLE).data


def test_tankignore_patterns(tmp_path: Path) -> None:
    extra: Files = {
        "build/out.bin": (b"x", False),
        "docs/build/keep.md": (b"x", False),
        "notes.log": (b"x", False),
        "keep.log": (b"x", False),
        "secret.txt": (b"x", False),
    }
    root = write_tree(tmp_path / "skill", {**SAMPLE, **extra})
    (root / ".tankignore").write_text("/build/\n*.log\n!keep.log\n# comment\n\nsecret.txt\n")
    packed = {f.path for f in pack_folder(root).files}
    assert packed == {*SAMPLE, "docs/build/keep.md", "keep.log"}


def test_tankignore_cannot_reinclude_always_ignored(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "skill", {**SAMPLE, ".git/config": (b"x", False)})
    (root / ".tankignore").write_text("!.git\n!.git/config\n!.tankignore\n")
    assert pack_folder(root).data == pack_files(SAMPLE).data


def test_ignored_symlink_is_fine(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "skill", SAMPLE)
    (root / ".venv").mkdir()
    (root / ".venv" / "python").symlink_to(sys.executable)
    (root / ".tankignore").write_text(".venv/\n")
    assert pack_folder(root).data == pack_files(SAMPLE).data


def test_tankignore_symlink_refused(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "skill", SAMPLE)
    (tmp_path / "rules").write_text("*.md\n")
    (root / ".tankignore").symlink_to(tmp_path / "rules")
    assert pack_error(root).code == "pack_symlink"


def test_bad_tankignore_pattern(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "skill", SAMPLE)
    (root / ".tankignore").write_text("ok\n!\n")
    error = pack_error(root)
    assert error.code == "pack_bad_ignore_pattern"
    assert error.location is not None and error.location.line == 2


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["SKILL.md", "/etc/passwd", "scripts", "missing"])
def test_symlink_refused(tmp_path: Path, target: str) -> None:
    root = write_tree(tmp_path / "skill", SAMPLE)
    (root / "docs" / "link").symlink_to(target)
    error = pack_error(root)
    assert error.code == "pack_symlink"
    assert "docs/link" in error.message
    assert error.hint and ".tankignore" in error.hint


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_refused(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "skill", SAMPLE)
    os.mkfifo(root / "pipe")
    error = pack_error(root)
    assert (error.code, "pipe" in error.message) == ("pack_special_file", True)


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs UNIX sockets")
def test_socket_refused() -> None:
    # A short path: UNIX socket addresses are limited to ~100 bytes.
    with tempfile.TemporaryDirectory(dir="/tmp") as scratch:
        root = write_tree(Path(scratch) / "s", SAMPLE)
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(str(root / "sock"))
            assert pack_error(root).code == "pack_special_file"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "skill", SAMPLE)
    (root / "SKILL.md").chmod(0)
    error = pack_error(root)
    assert error.code == "pack_unreadable"
    assert "SKILL.md" in error.message


def test_unreadable_file_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same refusal, run even as root, by failing the open the way EACCES does."""
    root = write_tree(tmp_path / "skill", SAMPLE)
    real_open = os.open

    def deny(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        if str(path).endswith("run.sh"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", deny)
    error = pack_error(root)
    assert error.code == "pack_unreadable"
    assert "scripts/run.sh" in error.message and "Permission denied" in error.message


def test_not_a_directory(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    assert pack_error(tmp_path / "file").code == "pack_not_a_directory"
    assert pack_error(tmp_path / "missing").code == "pack_not_a_directory"


def test_nothing_to_pack(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "skill", {".git/config": (b"x", False)})
    assert pack_error(root).code == "pack_empty"
    with pytest.raises(PackError):
        pack_files({})


@pytest.mark.parametrize(
    ("files", "code"),
    [
        ({"../x": (b"", False)}, "pack_path_traversal"),
        ({"/abs": (b"", False)}, "pack_absolute_path"),
        ({"a\\b": (b"", False)}, "pack_bad_path"),
        ({"a//b": (b"", False)}, "pack_bad_path"),
        ({"README.md": (b"", False), "readme.md": (b"", False)}, "pack_case_collision"),
        ({"caf\u00e9": (b"", False), "cafe\u0301": (b"", False)}, "pack_unicode_collision"),
        ({"a": (b"", False), "a/b": (b"", False)}, "pack_path_conflict"),
        ({"bad\udcff": (b"", False)}, "pack_bad_encoding"),
    ],
)
def test_pack_files_refuses_bad_paths(files: Files, code: str) -> None:
    with pytest.raises(PackError) as caught:
        pack_files(files)
    assert caught.value.code == code


def test_case_collision_in_folder(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "skill", {"README.md": (b"1", False)})
    if (root / "readme.md").exists():
        pytest.skip("case-insensitive file system")
    (root / "readme.md").write_text("2")
    error = pack_error(root)
    assert error.code == "pack_case_collision"
    assert error.hint and ".tankignore" in error.hint


# --- limits ---------------------------------------------------------------------------------


def test_too_many_files(tmp_path: Path) -> None:
    files = {f"gen/{i}.txt": (b"x", False) for i in range(5)}
    root = write_tree(tmp_path / "skill", {**files, "SKILL.md": (b"x", False)})
    error = pack_error(root, ArchiveLimits(max_files=3))
    assert error.code == "pack_too_many_files"
    assert "6 files" in error.message and "limit 3" in error.message
    assert error.hint and "gen/ (5)" in error.hint and ".tankignore" in error.hint


def test_file_too_large(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "skill", {"big.bin": (os.urandom(2000), False)})
    error = pack_error(root, ArchiveLimits(max_file_size=1000))
    assert error.code == "pack_file_too_large"
    assert "big.bin" in error.message and "2000 bytes" in error.message


def test_total_too_large(tmp_path: Path) -> None:
    files = {f"{i}.bin": (os.urandom(600), False) for i in range(3)}
    root = write_tree(tmp_path / "skill", files)
    error = pack_error(root, ArchiveLimits(max_total_size=1000))
    assert error.code == "pack_too_large"
    assert "1800 bytes" in error.message
    assert error.hint and "0.bin" in error.hint


def test_compressed_too_large() -> None:
    with pytest.raises(PackError) as caught:
        pack_files({"noise": (os.urandom(5000), False)}, ArchiveLimits(max_compressed_size=4000))
    assert caught.value.code == "pack_too_large"


def test_compression_ratio_limit() -> None:
    zeros = {"zeros.bin": (bytes(3 * 1024 * 1024), False)}
    with pytest.raises(PackError) as caught:
        pack_files(zeros)
    assert caught.value.code == "pack_compression_ratio"
    # Below the floor, small compressible files are fine.
    pack_files({"zeros.bin": (bytes(512 * 1024), False)})


def test_too_many_directories() -> None:
    files = {f"d{i}/x": (b"", False) for i in range(4)}
    with pytest.raises(PackError) as caught:
        pack_files(files, ArchiveLimits(max_directories=3))
    assert caught.value.code == "pack_too_many_directories"


def test_path_depth_and_length() -> None:
    with pytest.raises(PackError) as caught:
        pack_files({"/".join("d" * 20) + "/x": (b"", False)})
    assert caught.value.code == "pack_path_too_deep"
    with pytest.raises(PackError) as caught:
        pack_files({"n" * 101: (b"", False)})
    assert caught.value.code == "pack_path_too_long"
    with pytest.raises(PackError) as caught:
        pack_files({"/".join(["n" * 99] * 3): (b"", False)})
    assert caught.value.code == "pack_path_too_long"
