"""Decoding one blob: base64 (standard or urlsafe), hex, base85 or ascii85, then as many as
:data:`MAX_LAYERS` compression layers (zlib, gzip, bzip2, xz/lzma).

Bounded everywhere, because blobs come from strangers: every decompressor is given an output
limit of :data:`MAX_DECODED` bytes (a zlib bomb stops there instead of filling memory) and
the LZMA decoder a memory limit. A blob that does not decode is None, never an exception.
"""

from __future__ import annotations

import base64
import binascii
import bz2
import lzma
import re
import zlib

__all__ = ["MAX_DECODED", "MAX_LAYERS", "decode_layers", "decompress"]

MAX_DECODED = 256 * 1024
MAX_LAYERS = 3
_LZMA_MEMLIMIT = 64 * 1024 * 1024
_HEX = re.compile(r"[0-9a-fA-F]+")
_ERRORS = (ValueError, binascii.Error, zlib.error, OSError, lzma.LZMAError, EOFError)


def decompress(data: bytes) -> bytes | None:
    """One compression layer removed (at most MAX_DECODED bytes out), or None if not compressed."""
    try:
        if data[:2] == b"\x1f\x8b" or _zlib_header(data):
            return zlib.decompressobj(zlib.MAX_WBITS | 32).decompress(data, MAX_DECODED)
        if data[:3] == b"BZh":
            return bz2.BZ2Decompressor().decompress(data, MAX_DECODED)
        if data[:6] == b"\xfd7zXZ\x00" or data[:3] == b"]\x00\x00":
            decoder = lzma.LZMADecompressor(memlimit=_LZMA_MEMLIMIT)
            return decoder.decompress(data, MAX_DECODED)
    except _ERRORS:
        return None
    return None


def _zlib_header(data: bytes) -> bool:
    """A zlib stream: deflate method, a window size zlib allows, and the header checksum."""
    return (
        len(data) >= 2
        and data[0] & 0x0F == 8
        and data[0] >> 4 <= 7
        and (data[0] << 8 | data[1]) % 31 == 0
    )


def _text_decode(blob: str, kind: str) -> bytes | None:
    try:
        if kind == "hex":
            return bytes.fromhex(blob) if len(blob) % 2 == 0 and _HEX.fullmatch(blob) else None
        if kind == "ascii85":
            body = blob.removeprefix("<~").removesuffix("~>")
            return base64.a85decode(re.sub(r"\s+", "", body), adobe=False)
        if kind == "base85":
            return base64.b85decode(blob)
        padded = blob + "=" * (-len(blob) % 4)
        altchars = b"-_" if ("-" in blob or "_" in blob) else None
        return base64.b64decode(padded, altchars=altchars, validate=True)
    except _ERRORS:
        return None


def decode_layers(blob: str, kind: str = "base64") -> bytes | None:
    """Bytes behind ``blob`` (``kind``: base64, hex, base85, ascii85), decompressed through up
    to MAX_LAYERS layers, at most MAX_DECODED bytes; None if it does not decode."""
    text = blob.replace("\\x", "") if kind == "hex" else blob
    raw = _text_decode(text, kind)
    if raw is None:
        return None
    for _ in range(MAX_LAYERS):
        inner = decompress(raw)
        if not inner:
            break
        raw = inner
    return raw[:MAX_DECODED]
