"""Size limits and path rules that every Tank archive meets, on both sides of the wire.

Packing and unpacking share one set of rules on purpose: a folder that ``tank pack`` accepts
must unpack everywhere, and an archive the registry accepts must pack back to the same bytes.
So the limits are one frozen dataclass (:class:`ArchiveLimits`, exported under the names the
contracts use, :data:`PackLimits` and :data:`UnpackLimits`) and the path rules are one checker
(:class:`PathTable`) that reports a :class:`Violation`; ``pack`` turns a violation into a
``PackError`` with code ``pack_<kind>``, ``unpack`` into an ``UnsafeArchiveError`` with code
``archive_<kind>``.

Default limits and why:

- ``max_files = 1_000`` regular files, ``max_directories = 1_000``: a skill is instructions and a
  few scripts; thousands of files mean a vendored dependency tree.
- ``max_file_size = 10 MiB``, ``max_total_size = 50 MiB`` (unpacked): generous for documents and
  small assets, small enough that an install cannot fill a disk.
- ``max_compressed_size = 50 MiB``: incompressible content can be as large as the unpacked cap.
- ``max_ratio = 100`` once the unpacked size passes ``ratio_floor = 1 MiB``: text compresses
  3-10x; 100x is what padding and bombs look like. Small archives are exempt because a few KiB
  of zeros legitimately compress very well.
- ``max_path_length = 255`` bytes of UTF-8 and ``max_component_length = 100`` bytes,
  ``max_depth = 16`` components: portable to every common file system (Windows' historic
  260-character limit includes the install prefix).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

MiB = 1024 * 1024

#: Characters refused in paths. ``\\`` and ``:`` because Windows reads them as separators,
#: drive letters and alternate data streams; control characters because they spoof terminal
#: output and break line-oriented tools.
_FORBIDDEN_CHARS = frozenset({"\\", ":"} | {chr(c) for c in range(0x20)} | {"\x7f"})


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """Hard limits for packing and unpacking a skill archive (defaults in the module doc)."""

    max_files: int = 1_000
    max_directories: int = 1_000
    max_file_size: int = 10 * MiB
    max_total_size: int = 50 * MiB
    max_compressed_size: int = 50 * MiB
    max_ratio: int = 100
    ratio_floor: int = 1 * MiB
    max_path_length: int = 255
    max_component_length: int = 100
    max_depth: int = 16

    def stream_cap(self, compressed_size: int) -> int:
        """Most bytes of decompressed tar stream an archive of ``compressed_size`` may yield.

        The file contents are capped by ``max_total_size`` and the ratio; tar framing adds a
        512-byte header and up to 511 bytes of padding per member, an extended header for long
        or non-ASCII names, and the end-of-archive record. Anything beyond is a bomb.
        """
        framing = (self.max_files + self.max_directories) * 2048 + 64 * 1024
        by_size = self.max_total_size + framing
        by_ratio = max(self.ratio_floor, self.max_ratio * compressed_size) + framing
        return min(by_size, by_ratio)


#: The names the contracts use; packing and unpacking deliberately share one definition.
PackLimits = ArchiveLimits
UnpackLimits = ArchiveLimits
#: The default limits, shared so that function defaults are not rebuilt per call.
DEFAULT_LIMITS = ArchiveLimits()


@dataclass(frozen=True, slots=True)
class Violation:
    """A broken rule: ``kind`` (suffix of the error code), what is wrong, and how to fix it."""

    kind: str
    message: str
    hint: str


def printable(text: str) -> str:
    """``text`` with unprintable characters and undecodable bytes escaped, for messages."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def quoted(path: str) -> str:
    """``path`` quoted and escaped for a message (built only when a message is made:
    escaping every character of every path would cost real time)."""
    return f"'{printable(path)}'"


def check_path(path: str, limits: ArchiveLimits) -> Violation | None:
    """Why ``path`` may not appear in an archive, or ``None`` when it may.

    A valid path is relative, POSIX, made of non-empty components other than ``.`` and ``..``,
    valid UTF-8 without NUL, control characters, backslashes or colons, and within the length
    and depth limits.
    """
    if not path:
        return Violation("bad_path", "an entry has an empty name", "Re-create the archive.")
    try:
        encoded = path.encode("utf-8")
    except UnicodeEncodeError:
        # Names decoded with surrogateescape keep undecodable bytes as lone surrogates.
        return Violation(
            "bad_encoding",
            f"{quoted(path)} is not valid UTF-8",
            "Rename the file so that its name is valid UTF-8.",
        )
    if "\x00" in path:
        return Violation("bad_path", f"{quoted(path)} contains a NUL byte", "Rename the file.")
    if path.startswith("/") or (len(path) >= 2 and path[1] == ":" and path[0].isalpha()):
        return Violation(
            "absolute_path",
            f"{quoted(path)} is an absolute path",
            "Archive entries must be relative to the skill folder.",
        )
    bad = sorted(set(path) & _FORBIDDEN_CHARS)
    if bad:
        return Violation(
            "bad_path",
            f"{quoted(path)} contains {', '.join(repr(c) for c in bad)}",
            "Rename the file: backslashes, colons and control characters are not portable.",
        )
    parts = path.split("/")
    if ".." in parts:
        return Violation(
            "path_traversal",
            f"{quoted(path)} has a '..' component and would escape the target folder",
            "Archive entries must stay inside the skill folder.",
        )
    if any(part in ("", ".") for part in parts):
        return Violation(
            "bad_path",
            f"{quoted(path)} has an empty or '.' component",
            "Use plain relative paths such as 'scripts/run.py'.",
        )
    if len(encoded) > limits.max_path_length:
        return Violation(
            "path_too_long",
            f"{quoted(path)} is {len(encoded)} bytes long (limit {limits.max_path_length})",
            "Shorten the path.",
        )
    longest = max(len(part.encode("utf-8")) for part in parts)
    if longest > limits.max_component_length:
        return Violation(
            "path_too_long",
            f"{quoted(path)} has a {longest}-byte name (limit {limits.max_component_length})",
            "Shorten the file or folder name.",
        )
    if len(parts) > limits.max_depth:
        return Violation(
            "path_too_deep",
            f"{quoted(path)} is {len(parts)} levels deep (limit {limits.max_depth})",
            "Flatten the folder structure.",
        )
    return None


def fold(path: str) -> str:
    """The key under which two paths collide on a case-insensitive, normalising file system.

    macOS and Windows treat ``a/B`` and ``a/b`` as one file, and macOS treats NFC and NFD
    spellings of ``café`` as one; archives holding both would extract differently per OS.
    """
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", path).casefold())


_Kind = Literal["file", "dir", "implied"]


class PathTable:
    """Registers an archive's paths one by one and reports duplicates and collisions.

    Parents of every path are registered as implied directories, so a file ``a`` and a file
    ``a/b`` conflict, and ``A/x`` and ``a/y`` collide through their parents.
    """

    def __init__(self) -> None:
        self._kinds: dict[str, _Kind] = {}
        self._folded: dict[str, str] = {}
        self.directories = 0
        """How many distinct directories (explicit or implied) have been registered."""

    def add(self, path: str, *, is_dir: bool) -> Violation | None:
        """Register ``path`` (already passed :func:`check_path`); report the first clash."""
        parts = path.split("/")
        for depth in range(1, len(parts)):
            violation = self._put("/".join(parts[:depth]), "implied")
            if violation:
                return violation
        return self._put(path, "dir" if is_dir else "file")

    def _put(self, path: str, kind: _Kind) -> Violation | None:
        old = self._kinds.get(path)
        if old is not None:
            if old == "file" or kind == "file":
                if old == kind:
                    return Violation(
                        "duplicate",
                        f"'{printable(path)}' appears twice",
                        "Each path may appear once.",
                    )
                return Violation(
                    "path_conflict",
                    f"'{printable(path)}' is both a file and a directory",
                    "Each path may be a file or a directory, not both.",
                )
            if old == "dir" and kind == "dir":
                return Violation(
                    "duplicate", f"'{printable(path)}' appears twice", "Each path may appear once."
                )
            if kind == "dir":
                self._kinds[path] = "dir"
            return None
        key = fold(path)
        other = self._folded.get(key)
        if other is not None:
            same_text = unicodedata.normalize("NFC", other) == unicodedata.normalize("NFC", path)
            return Violation(
                "unicode_collision" if same_text else "case_collision",
                f"'{printable(path)}' and '{printable(other)}' are the same file on macOS "
                "and Windows",
                "Rename one of them so that names differ by more than case or Unicode form.",
            )
        self._kinds[path] = kind
        self._folded[key] = path
        if kind != "file":
            self.directories += 1
        return None
