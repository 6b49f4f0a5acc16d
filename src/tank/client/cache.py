"""The global content-addressed cache: tarballs by integrity, and their unpacked trees.

``tarballs/sha512/ab/<hex>.tgz`` holds a tarball exactly as downloaded; ``trees/<hex>/`` the
same tarball unpacked by the core's safe unpacker, plus ``.tank-tree.json``: the size,
modification time, SHA-256 and exec bit of every file it holds (the version's file list,
which ``tank install`` compares installed files with), and what its SKILL.md and skills.json
declare (:class:`~tank.core.declared.Declared`, read once at unpacking so installs compare it
with the lock entry without parsing again). Both are keyed by the SHA-512 of the tarball, so a
second project installing the same skill downloads and unpacks nothing.

The cache is never trusted blindly. A tarball is re-hashed against the integrity the lockfile
promises every time it is used (a mismatch is an :class:`IntegrityError` naming the skill:
someone changed the cache). A tree is checked by size, mtime and exec bit of each file (the
cost of a ``stat``), which catches edits and ``chmod`` made through a hard-linked installed
copy; a tree that fails the check is thrown away and unpacked again from the verified
tarball.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tank.client.fsutil import write_atomic
from tank.core.declared import Declared, read_declared
from tank.core.errors import IntegrityError
from tank.core.integrity import parse_sri, verify
from tank.core.unpack import extract
from tank.core.verification import Expected

TREE_INDEX = ".tank-tree.json"
#: The index format: a tree indexed by another version (older Tank) is unpacked again.
INDEX_VERSION = 3
#: The files read to know what a tarball declares.
DECLARING = ("SKILL.md", "skills.json")


def digest_hex(integrity: str) -> str:
    """The hex SHA-512 digest of an ``sha512-…`` integrity (the cache key)."""
    algorithm, digest = parse_sri(integrity)
    if algorithm != "sha512":
        raise IntegrityError(
            f"cache entries are keyed by sha512, not {algorithm}",
            code="integrity_algorithm",
            hint="regenerate the lockfile with `tank install`",
        )
    return digest.hex()


@dataclass(frozen=True, slots=True)
class Tree:
    """An unpacked tarball in the cache: its folder, the files it holds, what its manifests
    declare and each file's expected digest (from its index, read once when the tree is
    checked, so linking, the manifest check and the drift check need no second read)."""

    path: Path
    files: tuple[str, ...]
    declared: Declared
    expected: dict[str, Expected]


@dataclass(frozen=True, slots=True)
class ContentCache:
    """The cache folder and the operations on it; safe to share between processes."""

    root: Path

    def tarball_file(self, integrity: str) -> Path:
        """Where the tarball with ``integrity`` is (or would be) stored."""
        hexd = digest_hex(integrity)
        return self.root / "tarballs" / "sha512" / hexd[:2] / f"{hexd}.tgz"

    def tree_dir(self, integrity: str) -> Path:
        """Where the unpacked tree of the tarball with ``integrity`` is (or would be)."""
        return self.root / "trees" / digest_hex(integrity)

    # ------------------------------------------------------------------ tarballs

    def read_tarball(self, integrity: str, *, subject: str) -> bytes | None:
        """The cached tarball, verified; ``None`` when absent. Tampered: IntegrityError."""
        path = self.tarball_file(integrity)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            verify(data, integrity, subject=subject)
        except IntegrityError as bad:
            raise IntegrityError(
                f"{subject}: the cached tarball does not match the lockfile's integrity",
                code="cache_tampered",
                detail=f"{path}: {bad.message}",
                hint=f"something changed the cache; delete {path} and install again",
            ) from None
        return data

    def store_tarball(self, integrity: str, data: bytes) -> Path:
        """Write verified tarball bytes under their integrity (atomically)."""
        path = self.tarball_file(integrity)
        write_atomic(path, data)
        return path

    def discard(self, integrity: str) -> None:
        """Delete the tarball and tree stored under ``integrity`` (a tampered entry)."""
        with contextlib.suppress(FileNotFoundError):
            self.tarball_file(integrity).unlink()
        _remove_tree(self.tree_dir(integrity))

    # ------------------------------------------------------------------ trees

    def tree(self, integrity: str) -> Tree | None:
        """The unpacked tree when present and unchanged since unpacking, else ``None``."""
        tree = self.tree_dir(integrity)
        try:
            index = json.loads((tree / TREE_INDEX).read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(index, dict) or index.get("v") != INDEX_VERSION:
            _remove_tree(tree)  # an older index format: unpack again
            return None
        declared = Declared.from_json(index.get("declared"))
        files = index.get("files")
        if declared is None or not isinstance(files, dict) or not _matches(tree, files):
            # Changed after unpacking (an edit through a hard link, a half-deleted folder):
            # throw it away; the caller unpacks the verified tarball again.
            _remove_tree(tree)
            return None
        return _tree(tree, files, declared)

    def declared(self, integrity: str) -> Declared | None:
        """What the tree's manifests declare, from its index alone (no per-file check);
        ``None`` when the tree is not in the cache or its index is of another format."""
        try:
            index = json.loads((self.tree_dir(integrity) / TREE_INDEX).read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(index, dict) or index.get("v") != INDEX_VERSION:
            return None
        return Declared.from_json(index.get("declared"))

    def unpack(self, integrity: str, data: bytes) -> Tree:
        """Unpack verified tarball ``data`` into its tree (atomically) and return the tree."""
        tree = self.tree_dir(integrity)
        tree.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{tree.name[:16]}.", dir=tree.parent))
        try:
            content = staging / "t"
            entries = extract(data, content)
            files: dict[str, list[int | str | bool]] = {}
            for entry in entries:
                st = (content / entry.path).stat()
                files[entry.path] = [st.st_size, st.st_mtime_ns, entry.sha256, entry.executable]
            declared = read_declared(
                {rel: (content / rel).read_bytes() for rel in DECLARING if rel in files}
            )
            index = {"v": INDEX_VERSION, "files": files, "declared": declared.to_json()}
            (content / TREE_INDEX).write_text(json.dumps(index, sort_keys=True))
            try:
                content.rename(tree)
            except OSError:
                if not tree.is_dir():
                    raise
                # Another process unpacked the same tarball first: theirs is as good.
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return _tree(tree, files, declared)


def _tree(path: Path, files: dict[str, Any], declared: Declared) -> Tree:
    # A tarball may itself hold a file named like the index: it is never linked as a file.
    names = tuple(sorted(rel for rel in files if rel != TREE_INDEX))
    expected = {rel: Expected(str(files[rel][2]), bool(files[rel][3])) for rel in names}
    return Tree(path, names, declared, expected)


def _matches(tree: Path, index: dict[str, list[int | str | bool]]) -> bool:
    root = str(tree)
    try:
        for rel, (size, mtime, sha, executable) in index.items():
            st = os.lstat(os.path.join(root, rel))
            if st.st_size != size or st.st_mtime_ns != mtime or not isinstance(sha, str):
                return False
            if bool(st.st_mode & 0o100) != executable:
                return False  # a chmod through a hard-linked installed copy
    except (OSError, TypeError, ValueError):
        return False
    return True


def _remove_tree(tree: Path) -> None:
    # Rename first so a concurrent reader never sees a half-deleted tree as complete.
    doomed = tree.with_name(f".{tree.name}.doomed.{os.getpid()}")
    with contextlib.suppress(OSError):
        tree.rename(doomed)
        shutil.rmtree(doomed, ignore_errors=True)
