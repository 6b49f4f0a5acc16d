"""Encoded blobs: decode long base64/hex runs (and zlib inside them) and rescan the result.

Payloads hide in layers: base64 of zlib of Python, hex of a shell line. Each layer decoded
counts one depth; decoding stops at depth 3 and at :data:`MAX_DECODED` bytes. Images in
``data:`` URIs decode to binary and are left alone unless they are executables.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import dataclasses
import re
import zlib

from tank.scanner.analyzers.base import Context, line_at, line_text
from tank.scanner.analyzers.binary import analyze_binary, is_binary
from tank.scanner.model import Finding

__all__ = ["MAX_DEPTH", "analyze_blobs", "decode_layers"]

MAX_DEPTH = 3
MAX_DECODED = 256 * 1024
_MAX_BLOBS = 20
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]{40,}={0,2}")
_HEX = re.compile(r"(?:\\x)?(?:[0-9a-fA-F]{2}(?:\\x)?){24,}")
_CODE = re.compile(
    r"\b(?:import\s+\w|exec\s*\(|eval\s*\(|subprocess|os\.system|socket|curl\s|wget\s|bash\s+-"
    r"|/bin/(?:ba)?sh|require\s*\(|child_process|powershell|chmod\s+\+x)"
)


def decode_layers(blob: str) -> bytes | None:
    """Bytes behind ``blob`` (base64, urlsafe base64 or hex, then zlib/gzip if compressed)."""
    text = blob.replace("\\x", "")
    raw: bytes | None = None
    if re.fullmatch(r"[0-9a-fA-F]+", text) and len(text) % 2 == 0:
        raw = bytes.fromhex(text)
    else:
        padded = text + "=" * (-len(text) % 4)
        try:
            altchars = b"-_" if ("-" in text or "_" in text) else None
            raw = base64.b64decode(padded, altchars=altchars, validate=True)
        except (binascii.Error, ValueError):
            return None
    if raw[:1] in (b"x", b"\x1f"):
        with contextlib.suppress(zlib.error):
            raw = zlib.decompressobj(zlib.MAX_WBITS | 32).decompress(raw, MAX_DECODED)
    return raw[:MAX_DECODED]


def _printable(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    good = sum(c.isprintable() or c in "\n\r\t" for c in text)
    return text if text and good >= 0.95 * len(text) else None


def analyze_blobs(path: str, text: str, context: Context) -> list[Finding]:
    """Findings inside decoded blobs, reported at the blob's line in ``path``."""
    if context.depth >= MAX_DEPTH:
        return []
    rules = context.rules
    out: list[Finding] = []
    seen = 0
    for match in [*_BASE64.finditer(text), *_HEX.finditer(text)]:
        blob = match.group(0)
        if len(set(blob)) < 10 and not blob.startswith("\\x"):
            continue  # a run of one letter, a hash's hex digits stay below the length floor
        seen += 1
        if seen > _MAX_BLOBS:
            break
        raw = decode_layers(blob)
        if raw is None or len(raw) < 16:
            continue
        line = line_at(text, match.start())
        where = f"{path}:{line}"
        if is_binary(raw):
            inner = analyze_binary(
                f"{path}#decoded", raw, dataclasses.replace(context, depth=context.depth + 1)
            )
            out.extend(
                dataclasses.replace(
                    f, file=path, line=line, message=f"hidden in an encoded blob: {f.message}"
                )
                for f in inner
            )
            continue
        decoded = _printable(raw)
        if decoded is None:
            continue
        inner = context.rescan(f"{path}#decoded", decoded, context.depth + 1)
        out.extend(
            dataclasses.replace(
                f,
                file=path,
                line=line,
                message=f"hidden in an encoded blob at {where}: {f.message}",
            )
            for f in inner
        )
        if _CODE.search(decoded):
            out.append(
                Finding.of(
                    rules["encoded.hidden_code"],
                    path,
                    line,
                    line_text(text, match.start()),
                    f"an encoded blob decodes to code: {decoded[:80]!r}",
                )
            )
    return out
