"""Binaries and archives inside a skill: executables are refused, archives looked into."""

from __future__ import annotations

import io
import zipfile
import zlib

from tank.scanner.analyzers.base import Context
from tank.scanner.model import Finding

__all__ = ["analyze_binary", "is_binary"]

_EXECUTABLE = (
    (b"\x7fELF", "an ELF executable"),
    (b"MZ", "a Windows PE executable"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "a Mach-O universal binary or Java class"),
    (b"\xfe\xed\xfa\xcf", "a Mach-O executable"),
)
_ARCHIVES = (
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"BZh", "a bzip2 archive"),
)
_MAX_MEMBERS = 200
_MAX_MEMBER_SIZE = 1 << 20


def is_binary(data: bytes) -> bool:
    """Whether ``data`` is not text: a NUL byte or a known binary magic at the start."""
    head = data[:8192]
    return b"\0" in head or head.startswith(tuple(m for m, _ in _EXECUTABLE + _ARCHIVES))


def analyze_binary(path: str, data: bytes, context: Context) -> list[Finding]:
    """Executables are critical; a zip is opened and its text members rescanned (an
    encrypted member is critical: nobody can review it); other archives are flagged."""
    rules = context.rules
    for magic, what in _EXECUTABLE:
        if data.startswith(magic) and (magic != b"MZ" or b"PE\0\0" in data[:1024]):
            return [Finding.of(rules["binary.executable"], path, 1, what, f"{path} is {what}")]
    if data.startswith(b"PK\x03\x04"):
        return _zip(path, data, context)
    for magic, what in _ARCHIVES:
        if data.startswith(magic):
            return [
                Finding.of(
                    rules["binary.archive"],
                    path,
                    1,
                    what,
                    f"{path} is {what}; its contents cannot be reviewed",
                )
            ]
    return []


def _zip(path: str, data: bytes, context: Context) -> list[Finding]:
    rules = context.rules
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return [
            Finding.of(rules["binary.archive"], path, 1, "zip", f"{path} is a corrupt zip archive")
        ]
    out: list[Finding] = []
    for info in infos[:_MAX_MEMBERS]:
        inner = f"{path}!{info.filename}"
        if info.flag_bits & 0x1:
            return [Finding.of(rules["binary.encrypted_archive"], inner, 1, info.filename)]
        if info.is_dir() or info.file_size > _MAX_MEMBER_SIZE or context.depth >= 3:
            continue
        try:  # bounded: a member's header may lie about its size (a zip bomb)
            with archive.open(info) as member:
                content = member.read(_MAX_MEMBER_SIZE + 1)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, zlib.error) as error:
            out.append(
                Finding.of(
                    rules["binary.archive"], inner, 1, "zip", f"{inner} cannot be read: {error}"
                )
            )
            continue
        if len(content) > _MAX_MEMBER_SIZE:  # its header said it was small: it lied
            out.append(
                Finding.of(
                    rules["binary.archive"], inner, 1, "zip", f"{inner} is larger than it claims"
                )
            )
            continue
        if is_binary(content):
            out.extend(analyze_binary(inner, content, context))
        else:
            out.extend(context.rescan(inner, content.decode("utf-8", "replace"), context.depth + 1))
    if len(infos) > _MAX_MEMBERS:
        out.append(
            Finding.of(
                rules["binary.archive"], path, 1, "zip", f"{path} has too many members to review"
            )
        )
    return out
