"""Hostile ``.tgz`` archives, built in memory at test time, for every archive consumer's tests.

``build_corpus()`` returns ``name -> bytes``; ``EXPECTED_CODES[name]`` is the
``UnsafeArchiveError.code`` that :func:`tank.core.unpack.read_archive` must raise for it with
the default limits. Reuse it from the registry's upload tests::

    from tests.unit.core.hostile.corpus import EXPECTED_CODES, build_corpus

Nothing here is committed as a binary: the gzip bombs (1 GiB when expanded) are ~1 MB, made
without compressing a gigabyte: one MiB of zeros is deflated once, ended with a full flush
(byte-aligned, no back-references across it), and that block is repeated.
"""

from __future__ import annotations

import functools
import random
import struct
import tarfile
import unicodedata
import zlib
from collections.abc import Iterable

MiB = 1024 * 1024
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"

EXPECTED_CODES: dict[str, str] = {
    "traversal_parent": "archive_path_traversal",
    "traversal_nested": "archive_path_traversal",
    "traversal_directory": "archive_path_traversal",
    "absolute_path": "archive_absolute_path",
    "drive_letter": "archive_absolute_path",
    "backslash": "archive_bad_path",
    "nul_in_name": "archive_bad_path",
    "control_char_in_name": "archive_bad_path",
    "dot_component": "archive_bad_path",
    "invalid_utf8_name": "archive_bad_encoding",
    "symlink": "archive_link",
    "symlink_then_file_through_it": "archive_link",
    "hardlink": "archive_link",
    "char_device": "archive_special_file",
    "block_device": "archive_special_file",
    "fifo": "archive_special_file",
    "sparse_file": "archive_unsupported_entry",
    "many_files": "archive_too_many_files",
    "gzip_bomb_trailer": "archive_bomb",
    "gzip_bomb_members": "archive_bomb",
    "ratio_bomb": "archive_bomb",
    "huge_claimed_size": "archive_file_too_large",
    "total_too_large": "archive_too_large",
    "duplicate": "archive_duplicate",
    "duplicate_directory": "archive_duplicate",
    "case_collision": "archive_case_collision",
    "case_collision_via_parent": "archive_case_collision",
    "unicode_collision": "archive_unicode_collision",
    "file_directory_conflict": "archive_path_conflict",
    "path_too_deep": "archive_path_too_deep",
    "name_too_long": "archive_path_too_long",
    "corrupt_gzip": "archive_corrupt",
    "truncated_gzip": "archive_corrupt",
    "truncated_member": "archive_corrupt",
    "bad_tar_checksum": "archive_corrupt",
    "not_gzip": "archive_not_gzip",
    "empty_bytes": "archive_not_gzip",
    "gzip_trailing_garbage": "archive_trailing_data",
    "concatenated_gzip": "archive_trailing_data",
    "hidden_after_end": "archive_trailing_data",
    "no_files": "archive_empty",
}


def build_corpus() -> dict[str, bytes]:
    """Every hostile archive by name (a fresh dict; the bytes are built once per process)."""
    return dict(_build())


@functools.cache
def _build() -> tuple[tuple[str, bytes], ...]:
    ok = _entry("SKILL.md", b"# fine\n")
    nfc = unicodedata.normalize("NFC", "caf\u00e9.md")
    nfd = unicodedata.normalize("NFD", nfc)
    valid = _tgz(ok)
    noise = random.Random(0).randbytes(9 * MiB)  # incompressible, so no ratio limit applies
    sparse = _entry("sparse.bin", b"x" * 10, kind=tarfile.GNUTYPE_SPARSE)
    corpus = {
        "traversal_parent": _tgz(ok, _entry("../x", b"pwned")),
        "traversal_nested": _tgz(ok, _entry("a/../../x", b"pwned")),
        "traversal_directory": _tgz(_entry("../evil", kind=tarfile.DIRTYPE)),
        "absolute_path": _tgz(ok, _entry("/tmp/tank-hostile-absolute", b"pwned")),
        "drive_letter": _tgz(ok, _entry("C:/Windows/x", b"pwned")),
        "backslash": _tgz(ok, _entry("..\\..\\x", b"pwned")),
        "nul_in_name": _tgz(ok, _entry("a_b", b"x", pax={"path": "a\x00b"})),
        "control_char_in_name": _tgz(ok, _entry("a\x1b[2Jb", b"x")),
        "dot_component": _tgz(ok, _entry("./a/./b", b"x")),
        "invalid_utf8_name": _tgz(ok, _entry("bad\udcff.md", b"x")),
        "symlink": _tgz(ok, _entry("link", kind=tarfile.SYMTYPE, link="/etc/passwd")),
        "symlink_then_file_through_it": _tgz(
            _entry("out", kind=tarfile.SYMTYPE, link="/tmp"), _entry("out/x", b"pwned")
        ),
        "hardlink": _tgz(ok, _entry("hard", kind=tarfile.LNKTYPE, link="/etc/passwd")),
        "char_device": _tgz(ok, _entry("null", kind=tarfile.CHRTYPE)),
        "block_device": _tgz(ok, _entry("sda", kind=tarfile.BLKTYPE)),
        "fifo": _tgz(ok, _entry("pipe", kind=tarfile.FIFOTYPE)),
        "sparse_file": _tgz(ok, sparse),
        "many_files": _tgz(*(_entry(f"f/{i:05d}.txt", b"x") for i in range(10_000))),
        "gzip_bomb_trailer": _bomb_trailer(),
        "gzip_bomb_members": _bomb_members(),
        "ratio_bomb": _gzip_repeated([(_header("z.bin", 2 * MiB), 1), (bytes(MiB), 2)]),
        "huge_claimed_size": _tgz(ok, _header("huge.bin", 2**40)),
        "total_too_large": _gzip_stored(_tar(*(_entry(f"{i}.bin", noise) for i in range(6)))),
        "duplicate": _tgz(ok, _entry("SKILL.md", b"# evil twin\n")),
        "duplicate_directory": _tgz(ok, *[_entry("d", kind=tarfile.DIRTYPE)] * 2),
        "case_collision": _tgz(ok, _entry("a/B", b"1"), _entry("a/b", b"2")),
        "case_collision_via_parent": _tgz(ok, _entry("Docs/x", b"1"), _entry("docs/y", b"2")),
        "unicode_collision": _tgz(ok, _entry(nfc, b"1"), _entry(nfd, b"2")),
        "file_directory_conflict": _tgz(ok, _entry("a", b"file"), _entry("a/b", b"x")),
        "path_too_deep": _tgz(ok, _entry("/".join(["d"] * 40) + "/x", b"x")),
        "name_too_long": _tgz(ok, _entry("n" * 200, b"x")),
        "corrupt_gzip": _corrupted(_tgz(ok, _entry("data.txt", bytes(range(256)) * 64))),
        "truncated_gzip": valid[: len(valid) // 2],
        "truncated_member": _gzip(_header("cut.txt", 4096) + b"only a little"),
        "bad_tar_checksum": _gzip(b"\x01" + ok[1:] + bytes(1024)),
        "not_gzip": _tar(ok),
        "empty_bytes": b"",
        "gzip_trailing_garbage": valid + b"trailing garbage",
        "concatenated_gzip": valid + _tgz(_entry("extra.md", b"smuggled")),
        "hidden_after_end": _gzip(_tar(ok) + _entry("hidden.md", b"smuggled") + bytes(1024)),
        "no_files": _tgz(_entry("empty", kind=tarfile.DIRTYPE)),
    }
    assert corpus.keys() == EXPECTED_CODES.keys()
    return tuple(corpus.items())


def _header(
    name: str,
    size: int = 0,
    *,
    kind: bytes = tarfile.REGTYPE,
    link: str = "",
    pax: dict[str, str] | None = None,
) -> bytes:
    """A raw tar header; GNU format (base-256 sizes, long names) unless pax records are given."""
    info = tarfile.TarInfo(name)
    info.type, info.size, info.linkname, info.mode = kind, size, link, 0o644
    if pax:
        info.pax_headers = pax
        return info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape")
    return info.tobuf(tarfile.GNU_FORMAT, "utf-8", "surrogateescape")


def _entry(
    name: str,
    data: bytes = b"",
    *,
    kind: bytes = tarfile.REGTYPE,
    link: str = "",
    pax: dict[str, str] | None = None,
) -> bytes:
    padding = -len(data) % 512
    return _header(name, len(data), kind=kind, link=link, pax=pax) + data + bytes(padding)


def _tar(*entries: bytes) -> bytes:
    return b"".join(entries) + bytes(1024)


def _gzip(raw: bytes) -> bytes:
    return _gzip_repeated([(raw, 1)])


def _tgz(*entries: bytes) -> bytes:
    return _gzip(_tar(*entries))


def _gzip_stored(raw: bytes) -> bytes:
    """gzip of ``raw`` in stored (level 0) blocks: fast for large incompressible data."""
    return _gzip_repeated([(raw, 1)], level=0)


def _gzip_repeated(pieces: Iterable[tuple[bytes, int]], *, level: int = 6) -> bytes:
    """gzip of ``data * count`` for each piece, deflating each distinct piece only once."""
    out = [_GZIP_HEADER]
    crc = size = 0
    deflated: dict[bytes, bytes] = {}
    for data, count in pieces:
        if data not in deflated:
            compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
            deflated[data] = compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)
        out.append(deflated[data] * count)
        # crc(A + data) = shift(crc(A)) ^ crc(data): a 32x32 bit-matrix product per repeat
        # instead of checksumming the repeated bytes again (1 GiB would take ~0.5 s).
        shift, piece_crc = _zeros_operator(len(data)), zlib.crc32(data)
        for _ in range(count):
            crc = _gf2_times(shift, crc) ^ piece_crc
        size += len(data) * count
    out.append(zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS).flush(zlib.Z_FINISH))
    out.append(struct.pack("<II", crc, size & 0xFFFFFFFF))
    return b"".join(out)


def _gf2_times(matrix: list[int], vector: int) -> int:
    """Apply a GF(2) matrix, given as its 32 columns, to a 32-bit vector."""
    total, column = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[column]
        vector >>= 1
        column += 1
    return total


@functools.cache
def _zeros_operator(length: int) -> list[int]:
    """The map from a CRC-32 to the CRC-32 after ``length`` more zero bytes (zlib's combine)."""
    operator = [0xEDB88320] + [1 << bit for bit in range(31)]  # one zero bit
    for _ in range(3):  # two, four, eight zero bits
        operator = [_gf2_times(operator, column) for column in operator]
    result = [1 << bit for bit in range(32)]  # identity
    while length:
        if length & 1:
            result = [_gf2_times(operator, column) for column in result]
        length >>= 1
        operator = [_gf2_times(operator, column) for column in operator]
    return result


def _bomb_trailer() -> bytes:
    """A valid small archive followed by 1 GiB of zeros (a reader must not stop at the end)."""
    return _gzip_repeated([(_tar(_entry("SKILL.md", b"# bomb\n")), 1), (bytes(MiB), 1024)])


def _bomb_members() -> bytes:
    """128 files of 8 MiB of zeros each: 1 GiB, every file within the per-file limit."""
    pieces: list[tuple[bytes, int]] = []
    for i in range(128):
        pieces += [(_header(f"zeros/{i:03d}.bin", 8 * MiB), 1), (bytes(MiB), 8)]
    return _gzip_repeated([*pieces, (bytes(1024), 1)])


def _corrupted(archive: bytes) -> bytes:
    """``archive`` with bytes in the middle of its deflate stream flipped."""
    middle = len(archive) // 2
    return (
        archive[:middle]
        + bytes(b ^ 0xA5 for b in archive[middle : middle + 8])
        + (archive[middle + 8 :])
    )
