"""Safe unpacking: validate a whole archive in memory, then write it into a fresh folder.

:func:`read_archive` refuses, before anything touches the disk, every trick an archive can
play: paths that escape (absolute, ``..``, backslashes, drive letters, NUL), links and device
or FIFO entries, duplicate or colliding names (``a/B`` vs ``a/b``; NFC vs NFD), names that are
not UTF-8, and bombs. Each refusal is an :class:`~tank.core.errors.UnsafeArchiveError` whose
``code`` names the attack (``archive_path_traversal``, ``archive_link``, ``archive_bomb``, ...),
whose message names the member and whose hint says what to do.

Bombs are stopped while decompressing, not after: the inflater is never asked for more than
:meth:`~tank.core.limits.ArchiveLimits.stream_cap` + 1 bytes (the file-size budget plus tar
framing, lowered further by the compression-ratio limit), so a 1 GB bomb costs ~50 MB of
memory and a fraction of a second. Member sizes are checked from their headers before their
data is touched.

Trailing data is refused: after the tar end-of-archive marker only zero padding may follow,
and after the gzip member nothing at all (a second, concatenated gzip member included). Tank
never writes either, and bytes that no reader looks at are a place to smuggle content past
the scanner.

:func:`extract` writes into a private staging folder next to ``target`` (created by
``mkdtemp``, files opened with ``O_EXCL | O_NOFOLLOW``, modes exactly 0644/0755) and renames it
into place, so a failure leaves neither a partial ``target`` nor anything else behind.
"""

from __future__ import annotations

import io
import os
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tank.core.errors import TankError, UnsafeArchiveError, UsageError
from tank.core.integrity import FileEntry
from tank.core.limits import (
    DEFAULT_LIMITS,
    ArchiveLimits,
    PathTable,
    UnpackLimits,
    check_path,
    printable,
    quoted,
)

__all__ = ["Member", "UnpackLimits", "extract", "files_of", "read_archive"]

_CHUNK = 64 * 1024
_BLOCK = 512
_WRITE_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_LINKS = {tarfile.SYMTYPE: "a symbolic link", tarfile.LNKTYPE: "a hard link"}
_SPECIAL = {
    tarfile.CHRTYPE: "a character device",
    tarfile.BLKTYPE: "a block device",
    tarfile.FIFOTYPE: "a FIFO",
}


@dataclass(frozen=True, slots=True)
class Member:
    """One validated archive entry: a directory, or a file with its content and exec bit."""

    path: str
    is_dir: bool
    data: bytes = b""
    executable: bool = False


def files_of(members: Iterable[Member]) -> dict[str, tuple[bytes, bool]]:
    """The files among ``members`` as ``path -> (content, executable)``, ready for re-packing."""
    return {m.path: (m.data, m.executable) for m in members if not m.is_dir}


def read_archive(data: bytes, limits: ArchiveLimits = DEFAULT_LIMITS) -> list[Member]:
    """Decompress and validate a ``.tgz`` in memory; raise :class:`UnsafeArchiveError`."""
    raw = _gunzip(data, limits)
    try:
        tar = tarfile.open(  # noqa: SIM115 - an in-memory buffer, nothing to close
            fileobj=io.BytesIO(raw), mode="r:", encoding="utf-8", errors="surrogateescape"
        )
    except (tarfile.TarError, ValueError, EOFError) as error:
        raise _corrupt(f"not a tar archive inside the gzip stream ({error})") from error
    members: list[Member] = []
    table = PathTable()
    files = total = end = 0
    while True:
        try:
            info = tar.next()
        except (tarfile.TarError, ValueError, EOFError) as error:
            raise _corrupt(f"bad tar header after {len(members)} entries ({error})") from error
        if info is None:
            break
        name = info.name
        _check_type(info, name)
        is_dir = info.type == tarfile.DIRTYPE
        violation = check_path(name, limits) or table.add(name, is_dir=is_dir)
        if violation:
            raise _unsafe(violation.kind, violation.message, violation.hint)
        if table.directories > limits.max_directories:
            raise _unsafe(
                "too_many_directories",
                f"more than {limits.max_directories} directories",
                "Skill archives are small; this one is probably not a skill.",
            )
        if info.size < 0 or (is_dir and info.size):
            raise _corrupt(f"{quoted(name)} has an impossible size {info.size}")
        if is_dir:
            members.append(Member(name, is_dir=True))
            end = max(end, info.offset_data)
            continue
        files += 1
        if files > limits.max_files:
            raise _unsafe(
                "too_many_files",
                f"more than {limits.max_files} files (at {quoted(name)})",
                "Skill archives are small; this one is probably not a skill.",
            )
        if info.size > limits.max_file_size:
            raise _unsafe(
                "file_too_large",
                f"{quoted(name)} claims {info.size} bytes (limit {limits.max_file_size})",
                "Refused before reading it; a file this large does not belong in a skill.",
            )
        total += info.size
        if total > limits.max_total_size:
            raise _unsafe(
                "too_large",
                f"files total more than {limits.max_total_size} bytes (at {quoted(name)})",
                "Skill archives are small; this one is probably a bomb.",
            )
        stop = info.offset_data + info.size
        if stop > len(raw):
            raise _corrupt(f"{quoted(name)} is cut short: the archive is truncated")
        content = raw[info.offset_data : stop]
        members.append(Member(name, is_dir=False, data=content, executable=bool(info.mode & 0o100)))
        end = max(end, info.offset_data + -(-info.size // _BLOCK) * _BLOCK)
    if raw.count(0, end) != len(raw) - end:
        raise _unsafe(
            "trailing_data",
            f"non-zero bytes after the last tar entry (offset {end})",
            "A corrupt header or hidden content; re-create the archive with 'tank pack'.",
        )
    if total > limits.ratio_floor and total > limits.max_ratio * len(data):
        # The stream cap allows for tar framing; this is the exact check on file contents.
        raise _unsafe(
            "bomb",
            f"{total} bytes of files from {len(data)} compressed bytes: more than "
            f"{limits.max_ratio}:1 (the limit above {limits.ratio_floor} bytes)",
            "Content this compressible is padding or a decompression bomb, not a skill.",
        )
    if not files:
        raise _unsafe("empty", "the archive holds no files", "Pack a folder that has files.")
    return members


def extract(data: bytes, target: Path, limits: ArchiveLimits = DEFAULT_LIMITS) -> list[FileEntry]:
    """Validate ``data`` fully, then write it into ``target``, which must be new or empty.

    Raises :class:`UnsafeArchiveError` for a bad archive (nothing is written),
    :class:`UsageError` (``extract_target_not_empty``) when ``target`` is a file, a link or
    a non-empty folder, and :class:`TankError` (``extract_failed``) when writing fails; in
    every case nothing is left behind. Returns the files written, sorted by path.
    """
    members = read_archive(data, limits)
    _check_target(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        directories = sorted(_directories(members))
        for path in directories:
            (staging / path).mkdir()
            # Explicit chmod: mkdir's mode is filtered by the umask; installs are 0755.
            (staging / path).chmod(0o755)
        written = []
        for member in sorted(members, key=lambda m: m.path):
            if not member.is_dir:
                _write(staging / member.path, member.data, member.executable)
                written.append(FileEntry.of(member.path, member.data, executable=member.executable))
        staging.chmod(0o755)
        _move_into_place(staging, target)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise TankError(
            f"cannot extract into {target}: {error.strerror or error}",
            code="extract_failed",
            hint="Check free space and permissions of the parent folder.",
        ) from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written


def _check_type(info: tarfile.TarInfo, name: str) -> None:
    """Refuse every entry but a regular file or a directory, naming what it is."""
    if info.type in (tarfile.REGTYPE, tarfile.AREGTYPE, tarfile.DIRTYPE) and not info.sparse:
        return
    shown = quoted(name)
    if info.type in _LINKS:
        raise _unsafe(
            "link",
            f"{shown} is {_LINKS[info.type]} to '{printable(info.linkname)}'",
            "Skill archives hold regular files only; a link could point outside the folder.",
        )
    if info.type in _SPECIAL:
        raise _unsafe(
            "special_file",
            f"{shown} is {_SPECIAL[info.type]}",
            "Skill archives hold regular files and directories only.",
        )
    # tarfile counts GNU sparse and contiguous files as "regular"; only plain ones are.
    if info.type not in (tarfile.REGTYPE, tarfile.AREGTYPE, tarfile.DIRTYPE) or info.sparse:
        raise _unsafe(
            "unsupported_entry",
            f"{shown} has unsupported tar entry type {info.type!r}",
            "Re-create the archive with 'tank pack'.",
        )


def _gunzip(data: bytes, limits: ArchiveLimits) -> bytes:
    """The tar stream inside ``data``, decompressing at most ``stream_cap + 1`` bytes."""
    if len(data) > limits.max_compressed_size:
        raise _unsafe(
            "too_large",
            f"the archive is {len(data)} bytes compressed (limit {limits.max_compressed_size})",
            "Skill archives are small; this one is probably not a skill.",
        )
    if data[:3] != b"\x1f\x8b\x08":
        raise _unsafe(
            "not_gzip",
            "the data is not a gzip stream",
            "Skill archives are gzip-compressed tar files made by 'tank pack'.",
        )
    cap = limits.stream_cap(len(data))
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    view = memoryview(data)
    pieces: list[bytes] = []
    produced = position = 0
    try:
        while not inflater.eof:
            chunk: bytes | memoryview = inflater.unconsumed_tail
            if not chunk:
                if position >= len(data):
                    raise _corrupt("the gzip stream is truncated")
                chunk = view[position : position + _CHUNK]
                position += len(chunk)
            # max_length is never 0 here (0 would mean "unlimited"): produced <= cap.
            piece = inflater.decompress(chunk, cap + 1 - produced)
            produced += len(piece)
            if produced > cap:
                raise _unsafe(
                    "bomb",
                    f"the archive decompresses to more than {cap} bytes from {len(data)} "
                    f"(limits: {limits.max_total_size} bytes of files, "
                    f"{limits.max_ratio}:1 compression above {limits.ratio_floor} bytes)",
                    "Refused while decompressing; this is a decompression bomb or not a skill.",
                )
            pieces.append(piece)
    except zlib.error as error:
        raise _corrupt(f"the gzip stream is corrupt ({error})") from error
    if inflater.unused_data or position < len(data):
        raise _unsafe(
            "trailing_data",
            "bytes follow the end of the gzip stream",
            "Re-create the archive with 'tank pack'; appended data is never accepted.",
        )
    return b"".join(pieces)


def _directories(members: list[Member]) -> set[str]:
    found: set[str] = set()
    for member in members:
        parts = member.path.split("/")
        found.update("/".join(parts[:depth]) for depth in range(1, len(parts)))
        if member.is_dir:
            found.add(member.path)
    return found


def _write(path: Path, data: bytes, executable: bool) -> None:
    mode = 0o755 if executable else 0o644
    fd = os.open(path, _WRITE_FLAGS, mode)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)  # the umask filtered the creation mode
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _check_target(target: Path) -> None:
    if not target.parent.is_dir():
        raise UsageError(
            f"cannot extract into {target}: its parent folder does not exist",
            code="extract_target_not_empty",
            hint="Create the parent folder first.",
        )
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise UsageError(
            f"cannot extract into {target}: it exists and is not a folder",
            code="extract_target_not_empty",
            hint="Extract into a new or empty folder.",
        )
    if target.is_dir() and any(target.iterdir()):
        raise UsageError(
            f"cannot extract into {target}: the folder is not empty",
            code="extract_target_not_empty",
            hint="Extract into a new or empty folder; remove the old one first.",
        )


def _move_into_place(staging: Path, target: Path) -> None:
    try:
        # POSIX rename replaces an empty directory atomically.
        staging.replace(target)
    except OSError:
        if not target.is_dir() or any(target.iterdir()):
            raise
        target.rmdir()  # Windows cannot rename over a directory
        staging.rename(target)


def _unsafe(kind: str, message: str, hint: str) -> UnsafeArchiveError:
    # Messages name the member themselves; no Location, which would print it twice.
    return UnsafeArchiveError(message, code=f"archive_{kind}", hint=hint)


def _corrupt(message: str) -> UnsafeArchiveError:
    return _unsafe("corrupt", message, "The download is damaged; fetch it again.")
