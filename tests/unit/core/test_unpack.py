"""Safe unpacking: round trips, the hostile corpus, and extraction that leaves nothing behind."""

from __future__ import annotations

import gzip
import io
import os
import stat
import tarfile
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tank.core.errors import TankError, UnsafeArchiveError, UsageError
from tank.core.limits import ArchiveLimits
from tank.core.pack import canonical_gzip, pack_files
from tank.core.unpack import Member, extract, files_of, read_archive
from tests.unit.core.hostile.corpus import EXPECTED_CODES, _gzip_repeated, build_corpus

FILES = {
    "SKILL.md": (b"# Demo\n", False),
    "scripts/run.sh": (b"#!/bin/sh\n", True),
    "docs/deep/er/caf\u00e9.md": (b"x" * 1000, False),
}
ARCHIVE = pack_files(FILES)


def snapshot(root: Path) -> dict[str, tuple[int, bytes]]:
    """Every path under ``root`` with its mode and (for files) content."""
    out = {}
    for path in sorted(root.rglob("*")):
        st_ = path.lstat()
        data = path.read_bytes() if stat.S_ISREG(st_.st_mode) else b""
        out[str(path.relative_to(root))] = (st_.st_mode, data)
    return out


# --- round trips ----------------------------------------------------------------------------


def test_read_archive_round_trip() -> None:
    members = read_archive(ARCHIVE.data)
    assert files_of(members) == FILES
    assert Member("docs", is_dir=True) in members
    assert pack_files(files_of(members)).data == ARCHIVE.data


def test_extract_round_trip(tmp_path: Path) -> None:
    target = tmp_path / "skill"
    entries = extract(ARCHIVE.data, target)
    assert entries == list(ARCHIVE.files)
    for path, (data, executable) in FILES.items():
        assert (target / path).read_bytes() == data
        assert stat.S_IMODE((target / path).stat().st_mode) == (0o755 if executable else 0o644)
    for folder in ("docs", "docs/deep", "scripts"):
        assert stat.S_IMODE((target / folder).stat().st_mode) == 0o755
    assert stat.S_IMODE(target.stat().st_mode) == 0o755
    assert sorted(p.name for p in tmp_path.iterdir()) == ["skill"]  # no staging left


def test_extract_modes_ignore_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        extract(ARCHIVE.data, tmp_path / "skill")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "skill" / "SKILL.md").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "skill" / "scripts").stat().st_mode) == 0o755


def test_extract_into_existing_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "skill").mkdir()
    extract(ARCHIVE.data, tmp_path / "skill")
    assert (tmp_path / "skill" / "SKILL.md").is_file()


@pytest.mark.parametrize("kind", ["non_empty", "file", "symlink", "no_parent"])
def test_extract_refuses_bad_target(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "skill"
    if kind == "non_empty":
        target.mkdir()
        (target / "keep.txt").write_text("mine")
    elif kind == "file":
        target.write_text("mine")
    elif kind == "symlink":
        (tmp_path / "elsewhere").mkdir()
        target.symlink_to(tmp_path / "elsewhere")
    else:
        target = tmp_path / "missing" / "skill"
    before = snapshot(tmp_path)
    with pytest.raises(UsageError) as caught:
        extract(ARCHIVE.data, target)
    assert caught.value.code == "extract_target_not_empty"
    assert snapshot(tmp_path) == before


def test_extract_write_failure_leaves_nothing(tmp_path: Path) -> None:
    if os.name != "posix" or os.geteuid() == 0:
        pytest.skip("root ignores directory permissions")
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        with pytest.raises(TankError) as caught:
            extract(ARCHIVE.data, parent / "skill")
        assert caught.value.code == "extract_failed"
        assert list(parent.iterdir()) == []
    finally:
        parent.chmod(0o755)


def test_extract_failing_midway_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that fills up after some files: no staging folder, no partial target."""
    writes = 0
    real_write = os.write

    def flaky(fd: int, data: bytes | memoryview) -> int:
        nonlocal writes
        writes += 1
        if writes > 1:
            raise OSError(28, "No space left on device")
        return real_write(fd, data)

    before = snapshot(tmp_path)
    monkeypatch.setattr(os, "write", flaky)
    with pytest.raises(TankError) as caught:
        extract(ARCHIVE.data, tmp_path / "skill")
    assert caught.value.code == "extract_failed"
    assert "No space left" in caught.value.message
    assert snapshot(tmp_path) == before


def test_foreign_archives_are_readable() -> None:
    """A plain ``tar czf``-style archive without directory entries and with a named gzip."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w:gz", format=tarfile.GNU_FORMAT) as tar:
        data = b"hello\n"
        info = tarfile.TarInfo("a/b/c.txt")
        info.size, info.mode, info.uid, info.uname = len(data), 0o4777, 1000, "someone"
        tar.addfile(info, io.BytesIO(data))
    members = read_archive(raw.getvalue())
    assert members == [Member("a/b/c.txt", is_dir=False, data=data, executable=True)]


def test_custom_limits() -> None:
    with pytest.raises(UnsafeArchiveError) as caught:
        read_archive(ARCHIVE.data, ArchiveLimits(max_files=2))
    assert caught.value.code == "archive_too_many_files"
    with pytest.raises(UnsafeArchiveError) as caught:
        read_archive(ARCHIVE.data, ArchiveLimits(max_file_size=999))
    assert caught.value.code == "archive_file_too_large"
    assert "caf\u00e9.md" in caught.value.message
    with pytest.raises(UnsafeArchiveError) as caught:
        read_archive(ARCHIVE.data, ArchiveLimits(max_compressed_size=10))
    assert caught.value.code == "archive_too_large"
    with pytest.raises(UnsafeArchiveError) as caught:
        read_archive(ARCHIVE.data, ArchiveLimits(max_directories=2))
    assert caught.value.code == "archive_too_many_directories"


# --- the hostile corpus ---------------------------------------------------------------------

CORPUS = sorted(EXPECTED_CODES)


@pytest.fixture(scope="module")
def corpus() -> dict[str, bytes]:
    return build_corpus()


@pytest.mark.parametrize("name", CORPUS)
def test_read_archive_refuses_hostile(corpus: dict[str, bytes], name: str) -> None:
    with pytest.raises(UnsafeArchiveError) as caught:
        read_archive(corpus[name])
    error = caught.value
    assert error.code == EXPECTED_CODES[name], error.message
    assert error.message and error.hint


@pytest.mark.parametrize("name", CORPUS)
@pytest.mark.parametrize("existing", [False, True])
def test_extract_refuses_hostile_and_writes_nothing(
    corpus: dict[str, bytes], name: str, existing: bool, tmp_path: Path
) -> None:
    parent = tmp_path / "parent"
    parent.mkdir()
    (parent / "neighbour.txt").write_text("untouched")
    (parent / "x").write_text("a file a traversal would overwrite")
    target = parent / "skill"
    if existing:
        target.mkdir()
    before = snapshot(tmp_path)
    with pytest.raises(UnsafeArchiveError) as caught:
        extract(corpus[name], target)
    assert caught.value.code == EXPECTED_CODES[name]
    assert snapshot(tmp_path) == before
    assert list(target.iterdir()) == [] if existing else not target.exists()
    assert not Path("/tmp/tank-hostile-absolute").exists()


def test_gzip_bombs_are_genuine(corpus: dict[str, bytes]) -> None:
    """Each bomb is ~1 MB, declares 1 GiB, and really inflates to zeros far past every cap."""
    for name in ("gzip_bomb_trailer", "gzip_bomb_members"):
        data = corpus[name]
        assert len(data) < 2 * 1024 * 1024
        assert int.from_bytes(data[-4:], "little") > 1024**3  # ISIZE, the gzip trailer
        inflater = zlib.decompressobj(31)
        head = inflater.decompress(data, 8 * 1024 * 1024)
        assert len(head) == 8 * 1024 * 1024  # the first ~8 KB already yield 8 MiB


def test_repeated_gzip_helper_writes_valid_checksums() -> None:
    """The bombs' CRC trick, checked end to end at a size that inflates instantly."""
    data = _gzip_repeated([(b"head", 1), (bytes(1000), 300), (b"tail", 3)])
    assert gzip.decompress(data) == b"head" + bytes(300_000) + b"tail" * 3


# --- fuzzing --------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2048))
def test_random_bytes_only_raise_unsafe_archive(data: bytes) -> None:
    with pytest.raises(UnsafeArchiveError):
        read_archive(data)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_mutated_archives_fail_cleanly(data: st.DataObject) -> None:
    """Corrupting a valid archive anywhere yields a clean refusal or a still-valid archive."""
    blob = bytearray(ARCHIVE.data)
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, len(blob) - 1))
        blob[index] = data.draw(st.integers(0, 255))
    try:
        members = read_archive(bytes(blob))
    except UnsafeArchiveError:
        return
    assert all(m.path for m in members)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_tar_inside_valid_gzip_fails_cleanly(data: st.DataObject) -> None:
    """Same, but the tar is damaged under a valid gzip layer so the tar parser is exercised."""
    tar = bytearray(gzip.decompress(ARCHIVE.data))
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, 4096))
        tar[index] = data.draw(st.integers(0, 255))
    try:
        read_archive(canonical_gzip(bytes(tar)))
    except UnsafeArchiveError:
        return
