"""The content-addressed cache: verified tarballs, self-healing trees."""

from __future__ import annotations

from pathlib import Path

import pytest

from tank.client.cache import ContentCache
from tank.core.errors import IntegrityError
from tank.core.integrity import sri_sha512
from tank.core.pack import pack_files
from tank.core.verification import expected_of


def _tarball() -> tuple[bytes, str]:
    packed = pack_files({"SKILL.md": (b"---\nname: x\ndescription: d\n---\n", False),
                         "scripts/run.sh": (b"#!/bin/sh\n", True)})  # fmt: skip
    return packed.data, sri_sha512(packed.data)


def test_store_read_and_unpack(tmp_path: Path) -> None:
    cache = ContentCache(tmp_path)
    data, integrity = _tarball()
    assert cache.read_tarball(integrity, subject="x") is None
    cache.store_tarball(integrity, data)
    assert cache.read_tarball(integrity, subject="x") == data
    tree = cache.unpack(integrity, data)
    assert cache.tree(integrity) == tree
    assert set(tree.files) == {"SKILL.md", "scripts/run.sh"}
    assert (tree.path / "scripts/run.sh").stat().st_mode & 0o111


def test_tampered_tarball_is_an_integrity_error(tmp_path: Path) -> None:
    cache = ContentCache(tmp_path)
    data, integrity = _tarball()
    path = cache.store_tarball(integrity, data)
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    with pytest.raises(IntegrityError, match=r"@a/x@1\.0\.0") as caught:
        cache.read_tarball(integrity, subject="@a/x@1.0.0")
    assert caught.value.code == "cache_tampered"


def test_edited_tree_is_discarded(tmp_path: Path) -> None:
    cache = ContentCache(tmp_path)
    data, integrity = _tarball()
    tree = cache.unpack(integrity, data)
    (tree.path / "SKILL.md").write_text("changed through a hard link")
    assert cache.tree(integrity) is None
    assert not tree.path.exists()  # thrown away, to be unpacked again from the tarball
    assert cache.tree(integrity) is None
    again = cache.unpack(integrity, data)
    assert cache.tree(integrity) == again


def test_tree_index_is_the_file_list_and_chmod_discards_it(tmp_path: Path) -> None:
    cache = ContentCache(tmp_path)
    data, integrity = _tarball()
    tree = cache.unpack(integrity, data)
    files = [
        ("SKILL.md", b"---\nname: x\ndescription: d\n---\n", False),
        ("scripts/run.sh", b"#!/bin/sh\n", True),
    ]
    assert tree.expected == expected_of(files)
    (tree.path / "SKILL.md").chmod(0o755)  # through a hard link: same size and mtime
    assert cache.tree(integrity) is None
    cache.store_tarball(integrity, data)
    cache.discard(integrity)
    assert cache.read_tarball(integrity, subject="x") is None


def test_keys_refuse_weak_or_foreign_algorithms(tmp_path: Path) -> None:
    cache = ContentCache(tmp_path)
    with pytest.raises(IntegrityError):
        cache.tarball_file("sha256-" + "A" * 43 + "=")
