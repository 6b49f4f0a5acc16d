"""Canonical, reproducible skill archives (``.tgz``): the same files give the same bytes anywhere.

The registry re-packs every upload with :func:`pack_files` and compares bytes, so the archive
must be a pure function of the files' paths, contents and owner-executable bits. Choices:

- **Entries**: regular files, plus one directory entry for every parent directory of a file,
  sorted by path (code-point order, which equals UTF-8 byte order, and puts every directory
  before its contents). Empty directories are not packed, exactly as git does not track them,
  so that an in-memory ``path -> bytes`` mapping can express every archive.
- **Paths** are relative POSIX paths with no ``./`` or ``package/`` prefix: the archive *is* the
  skill folder, and a prefix would only be one more thing to strip and validate on install.
- **Metadata**: mode 0644, or 0755 for directories and files executable by their owner;
  uid/gid 0; empty user and group names; mtime :data:`CANONICAL_MTIME`.
- **Format**: POSIX pax (``tarfile.PAX_FORMAT``). An extended header is written only when a
  name is non-ASCII or longer than 100 bytes, and then holds exactly one ``path`` record.
- **Compression**: raw deflate at level 9 in a gzip container whose 10-byte header we write
  ourselves: mtime 0, no file name, XFL 2, OS 255 ("unknown"). ``gzip.compress(mtime=0)``
  in Python 3.11 delegates to zlib, which stamps the *host* OS into the header, so the same
  files would pack differently on Linux and Windows. The deflate stream itself is zlib's;
  a different zlib build (zlib-ng) may produce different but equally valid bytes, so the
  registry also compares the decompressed tar when the gzip bytes differ.

``tank pack`` reads the folder with :func:`pack_folder`, which applies :mod:`tank.core.ignore`,
refuses symlinks and special files (it never follows them) and enforces
:class:`~tank.core.limits.ArchiveLimits`, naming the limit, the actual figure and a fix.
"""

from __future__ import annotations

import io
import os
import stat
import struct
import tarfile
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from tank.core.errors import PackError, UsageError
from tank.core.ignore import IGNORE_FILE, IgnoreRules, load_ignore_rules
from tank.core.integrity import FileEntry, sri_sha512
from tank.core.limits import (
    DEFAULT_LIMITS,
    ArchiveLimits,
    PackLimits,
    PathTable,
    Violation,
    check_path,
)

__all__ = [
    "CANONICAL_MTIME",
    "PackLimits",
    "PackResult",
    "canonical_gzip",
    "canonical_tar",
    "pack_files",
    "pack_folder",
    "read_tree",
]

#: 1980-01-01T00:00:00Z. Not 0: the earliest instant a ZIP/DOS timestamp can hold (so a
#: conversion to zip cannot underflow), the floor Python wheels use for SOURCE_DATE_EPOCH, and
#: some tools treat mtime 0 as "missing" or warn about files from 1970.
CANONICAL_MTIME = 315_532_800
COMPRESS_LEVEL = 9
FILE_MODE = 0o644
EXEC_MODE = 0o755
DIR_MODE = 0o755
#: ID1 ID2, CM=deflate, FLG=0 (no name, comment or extra), MTIME=0, XFL=2 (max compression), OS=255.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


@dataclass(frozen=True, slots=True)
class PackResult:
    """A packed archive: its bytes, SRI integrity, per-file listing and sizes in bytes."""

    data: bytes
    integrity: str
    files: tuple[FileEntry, ...]
    size: int
    unpacked_size: int


def pack_files(
    entries: Mapping[str, tuple[bytes, bool]], limits: ArchiveLimits = DEFAULT_LIMITS
) -> PackResult:
    """Pack in-memory files ``path -> (content, executable)`` into a canonical archive.

    Gives the same bytes as :func:`pack_folder` on a folder holding those files; the registry
    uses it to re-pack an unpacked upload. Raises :class:`PackError` on a bad path or a limit.
    """
    return _pack([(path, data, executable) for path, (data, executable) in entries.items()], limits)


def require_skill_folder(root: Path) -> None:
    """Refuse an existing folder with no SKILL.md before packing it.

    Packing a project folder would trip on its agent links (``.claude/skills``) or find
    nothing to pack; neither says that the folder is simply not a skill.
    """
    if not root.is_dir() or (root / "SKILL.md").is_file():
        return
    project = (root / "skills.json").is_file()
    raise UsageError(
        f"no SKILL.md in {root}" + (": it is a project, not a skill" if project else ""),
        code="not_a_skill",
        hint="pass the folder that holds SKILL.md, e.g. `./my-skill`"
        + ("" if project else "; `tank init --skill` makes one"),
    )


def pack_folder(root: Path, limits: ArchiveLimits = DEFAULT_LIMITS) -> PackResult:
    """Pack the skill folder ``root`` into a canonical archive (see the module docstring)."""
    if not root.is_dir():
        raise PackError(
            f"{root} is not a directory",
            code="pack_not_a_directory",
            hint="Pass the folder that holds SKILL.md.",
        )
    found = _walk(root, load_ignore_rules(root))
    _check_counts([rel for rel, _ in found], limits)
    _check_sizes({rel: st.st_size for rel, st in found}, limits)
    files = [(rel, *_read(root, rel, limits)) for rel, _ in found]
    return _pack(files, limits, from_folder=True)


def read_tree(root: Path, limits: ArchiveLimits = DEFAULT_LIMITS) -> list[tuple[str, bytes, bool]]:
    """Every file under ``root`` as ``(path, content, executable)``, sorted, read and checked
    as :func:`pack_folder` reads and checks them, but with no ignore rules applied.

    For a folder that should hold exactly an archive's files (an installed skill, compared
    with its locked tarball before it runs): a file the ignore rules would leave out
    (``__pycache__/x.pyc``) is part of the comparison, not skipped. ``canonical_tar`` of the
    result is the uncompressed archive. Raises :class:`PackError` (a link or special file,
    a bad path, a limit).
    """
    if not root.is_dir():
        raise PackError(f"{root} is not a directory", code="pack_not_a_directory")
    found = _walk(root, None)
    _check_counts([rel for rel, _ in found], limits)
    _check_sizes({rel: st.st_size for rel, st in found}, limits)
    files = [(rel, *_read(root, rel, limits)) for rel, _ in found]
    _check_paths(files, limits, from_folder=True)
    return files


def canonical_tar(files: Iterable[tuple[str, bytes, bool]]) -> bytes:
    """The uncompressed canonical tar of already validated ``(path, content, executable)``."""
    items: dict[str, tuple[bytes, bool] | None] = {}
    for path, data, executable in files:
        items[path] = (data, executable)
        parts = path.split("/")
        for depth in range(1, len(parts)):
            items.setdefault("/".join(parts[:depth]), None)
    buffer = io.BytesIO()
    with tarfile.open(
        fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT, encoding="utf-8", errors="strict"
    ) as tar:
        for path in sorted(items):
            info = tarfile.TarInfo(path)
            info.mtime = CANONICAL_MTIME
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            item = items[path]
            if item is None:
                info.type = tarfile.DIRTYPE
                info.mode = DIR_MODE
                tar.addfile(info)
            else:
                data, executable = item
                info.mode = EXEC_MODE if executable else FILE_MODE
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def canonical_gzip(data: bytes) -> bytes:
    """``data`` in a gzip container with the fixed header described in the module docstring."""
    compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS, 8)
    body = compressor.compress(data) + compressor.flush()
    return _GZIP_HEADER + body + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)


def _pack(
    files: list[tuple[str, bytes, bool]], limits: ArchiveLimits, *, from_folder: bool = False
) -> PackResult:
    if not files:
        raise PackError(
            "there are no files to pack",
            code="pack_empty",
            hint=f"Pack the folder that holds SKILL.md, and check that {IGNORE_FILE} does not "
            "leave everything out.",
        )
    _check_paths(files, limits, from_folder=from_folder)
    _check_sizes({path: len(data) for path, data, _ in files}, limits)
    data = canonical_gzip(canonical_tar(files))
    total = sum(len(content) for _, content, _ in files)
    if len(data) > limits.max_compressed_size:
        raise PackError(
            f"the archive is {_mib(len(data))} compressed "
            f"(limit {_mib(limits.max_compressed_size)})",
            code="pack_too_large",
            hint=f"Leave large files out with {IGNORE_FILE}.",
        )
    if total > limits.ratio_floor and total > limits.max_ratio * len(data):
        raise PackError(
            f"the files compress {total // max(len(data), 1)}:1 "
            f"(limit {limits.max_ratio}:1 above {_mib(limits.ratio_floor)})",
            code="pack_compression_ratio",
            hint="Installers refuse archives this compressible as likely bombs; remove padding "
            f"or generated files, or leave them out with {IGNORE_FILE}.",
        )
    listing = tuple(FileEntry.of(path, content, executable=x) for path, content, x in files)
    return PackResult(data, sri_sha512(data), listing, len(data), total)


def _check_paths(
    files: list[tuple[str, bytes, bool]], limits: ArchiveLimits, *, from_folder: bool
) -> None:
    """Sort ``files`` by path (in place) and refuse a bad path or too many of them."""
    files.sort(key=lambda item: item[0])
    table = PathTable()
    for path, _, _ in files:
        violation = check_path(path, limits) or table.add(path, is_dir=False)
        if violation:
            raise _error(violation, path, from_folder=from_folder)
    _check_counts([path for path, _, _ in files], limits, directories=table.directories)


def _walk(root: Path, rules: IgnoreRules | None) -> list[tuple[str, os.stat_result]]:
    """Every regular file under ``root`` not ignored (by ``rules``, when given), as (POSIX
    path, lstat); refuse the rest."""
    found: list[tuple[str, os.stat_result]] = []
    pending = [""]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(root / folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
            for entry in entries:
                rel = f"{folder}/{entry.name}" if folder else entry.name
                st = entry.stat(follow_symlinks=False)
                if rules is not None and rules.ignores(rel, is_dir=stat.S_ISDIR(st.st_mode)):
                    continue
                if stat.S_ISDIR(st.st_mode):
                    pending.append(rel)
                elif stat.S_ISREG(st.st_mode):
                    found.append((rel, st))
                else:
                    raise _not_regular(rel, st.st_mode)
        except OSError as error:
            raise _unreadable(folder or ".", error) from error
    return found


def _read(root: Path, rel: str, limits: ArchiveLimits) -> tuple[bytes, bool]:
    """Content and owner-exec bit of ``rel``, refusing anything that became a link or special."""
    try:
        # O_NOFOLLOW: a file swapped for a symlink after the walk is refused, not followed;
        # O_NONBLOCK: a file swapped for a FIFO cannot hang the open.
        fd = os.open(root / rel, os.O_RDONLY | _NOFOLLOW)
    except OSError as error:
        if Path(root / rel).is_symlink():
            raise _not_regular(rel, stat.S_IFLNK) from error
        raise _unreadable(rel, error) from error
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(rel, st.st_mode)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            # One byte over the limit is enough to report it; never read an unbounded file.
            data = handle.read(limits.max_file_size + 1)
    except OSError as error:
        raise _unreadable(rel, error) from error
    finally:
        os.close(fd)
    return data, bool(st.st_mode & stat.S_IXUSR)


def _check_counts(
    paths: list[str], limits: ArchiveLimits, *, directories: int | None = None
) -> None:
    if len(paths) > limits.max_files:
        crowded = Counter(path.split("/")[0] for path in paths if "/" in path).most_common(3)
        where = ", ".join(f"{name}/ ({count})" for name, count in crowded)
        raise PackError(
            f"{len(paths)} files to pack (limit {limits.max_files})",
            code="pack_too_many_files",
            hint=f"Leave generated or vendored files out with {IGNORE_FILE}"
            + (f"; the fullest folders are {where}." if where else "."),
        )
    if directories is not None and directories > limits.max_directories:
        raise PackError(
            f"{directories} directories to pack (limit {limits.max_directories})",
            code="pack_too_many_directories",
            hint=f"Flatten the folder structure or leave folders out with {IGNORE_FILE}.",
        )


def _check_sizes(sizes: Mapping[str, int], limits: ArchiveLimits) -> None:
    for path, size in sizes.items():
        if size > limits.max_file_size:
            raise PackError(
                f"{path} is {_mib(size)} (limit {_mib(limits.max_file_size)} per file)",
                code="pack_file_too_large",
                hint=f"Leave it out with {IGNORE_FILE}, or shrink it.",
            )
    total = sum(sizes.values())
    if total > limits.max_total_size:
        largest = sorted(sizes, key=lambda path: -sizes[path])[:3]
        raise PackError(
            f"the files total {_mib(total)} (limit {_mib(limits.max_total_size)})",
            code="pack_too_large",
            hint=f"Leave large files out with {IGNORE_FILE}; the largest are "
            + ", ".join(f"{path} ({_mib(sizes[path])})" for path in largest)
            + ".",
        )


def _error(violation: Violation, path: str, *, from_folder: bool) -> PackError:
    hint = violation.hint
    if from_folder:
        hint += f" Or leave it out with {IGNORE_FILE}."
    return PackError(
        violation.message,
        code=f"pack_{violation.kind}",
        hint=hint,
    )


def _not_regular(rel: str, mode: int) -> PackError:
    if stat.S_ISLNK(mode):
        return PackError(
            f"{rel} is a symbolic link",
            code="pack_symlink",
            hint="Archives hold regular files only and links are never followed; replace it "
            f"with a copy of its target, or leave it out with {IGNORE_FILE}.",
        )
    return PackError(
        f"{rel} is not a regular file (a FIFO, socket or device)",
        code="pack_special_file",
        hint=f"Archives hold regular files only; remove it or leave it out with {IGNORE_FILE}.",
    )


def _unreadable(rel: str, error: OSError) -> PackError:
    return PackError(
        f"cannot read {rel}: {error.strerror or error}",
        code="pack_unreadable",
        hint=f"Check its permissions, or leave it out with {IGNORE_FILE}.",
    )


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB" if size >= 1024 * 1024 else f"{size} bytes"
