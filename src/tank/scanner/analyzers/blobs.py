"""Encoded blobs: decode long base64/hex/base85/ascii85 runs (and the compression layers
inside them) and rescan the result.

Payloads hide in layers: base64 of zlib of Python, hex of a shell line, base85 of xz. Each
text layer decoded counts one depth (decoding stops at depth 3); decompression is bounded
per blob (see :mod:`.blob_decode`), and a file's blobs share a budget of
:data:`MAX_BLOBS` blobs and :data:`MAX_BLOB_CHARS` characters, so a file stuffed with blobs
costs bounded time. Images in ``data:`` URIs decode to binary and are left alone unless
they are executables.
"""

from __future__ import annotations

import dataclasses
import re

from tank.scanner.analyzers.base import Context, line_at, line_text
from tank.scanner.analyzers.binary import analyze_binary, is_binary
from tank.scanner.analyzers.blob_decode import decode_layers
from tank.scanner.model import Finding

__all__ = ["MAX_BLOBS", "MAX_BLOB_CHARS", "MAX_DEPTH", "analyze_blobs", "candidates"]

MAX_DEPTH = 3
MAX_BLOBS = 2000
MAX_BLOB_CHARS = 8 * 1024 * 1024
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]{40,}={0,2}")
_HEX = re.compile(r"(?:\\x)?(?:[0-9a-fA-F]{2}(?:\\x)?){24,}")
#: Python's b85 / RFC 1924 alphabet. Runs must use its punctuation (base64 does not).
_BASE85 = re.compile(r"[0-9A-Za-z!#$%&()*+\-;<=>?@^_`{|}~]{40,}")
_BASE85_ONLY = re.compile(r"[!#$%&()*;<=>?@^`{|}~]")
_ASCII85 = re.compile(r"<~[!-uz\s]{20,}?~>")
#: At one offset, the stricter alphabet first: hex digits are also valid base64.
_PREFERENCE = {"hex": 0, "ascii85": 1, "base85": 2, "base64": 3}
_CODE = re.compile(
    r"\b(?:import\s+\w|exec\s*\(|eval\s*\(|subprocess|os\.system|socket|curl\s|wget\s|bash\s+-"
    r"|/bin/(?:ba)?sh|require\s*\(|child_process|powershell|chmod\s+\+x"
    r"|\biex\b|invoke-expression|invoke-webrequest|\biwr\b|downloadstring)"
)


def candidates(text: str) -> list[tuple[int, str, str]]:
    """``(offset, blob, kind)`` for every run that may be an encoding, in file order."""
    found = [(m.start(), m.group(0), "base64") for m in _BASE64.finditer(text)]
    found += [(m.start(), m.group(0), "hex") for m in _HEX.finditer(text)]
    found += [(m.start(), m.group(0), "ascii85") for m in _ASCII85.finditer(text)]
    found += [
        (m.start(), m.group(0), "base85")
        for m in _BASE85.finditer(text)
        if len(_BASE85_ONLY.findall(m.group(0))) >= 3
    ]
    return sorted(found, key=lambda c: (c[0], _PREFERENCE[c[2]]))


#: Lengths in hex digits of the usual digests (MD5, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512).
_DIGEST_HEX = frozenset({32, 40, 56, 64, 96, 128})
_COMPRESSED = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ")


def _noise(blob: str, kind: str, raw: bytes) -> bool:
    """Binary that is no payload: a digest's bytes (a SHA-256 may start with ``1f8b``, the
    gzip magic), or a "compressed" stream that did not decompress (random bytes whose first
    two happen to be a magic). Text decoded from a digest-length blob is still rescanned."""
    digest = kind == "hex" and len(blob.replace("\\x", "")) in _DIGEST_HEX
    return digest or raw.startswith(_COMPRESSED)


def _utf16_text(raw: bytes) -> str | None:
    """``raw`` as UTF-16LE text, when that is what it is: PowerShell's ``-EncodedCommand``
    and ``[Text.Encoding]::Unicode`` encode text that way (every other byte zero), which
    otherwise reads as binary. None when ``raw`` is not printable UTF-16LE."""
    if len(raw) < 16 or len(raw) % 2 or raw[1::2].count(0) < 0.9 * (len(raw) // 2):
        return None
    try:
        text = raw.decode("utf-16-le")
    except UnicodeDecodeError:
        return None
    good = sum(c.isprintable() or c in "\n\r\t" for c in text)
    return text if text and good >= 0.95 * len(text) else None


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
    budget_blobs, budget_chars = MAX_BLOBS, MAX_BLOB_CHARS
    decoded_until = -1
    for start, blob, kind in candidates(text):
        if start < decoded_until:
            continue  # inside a blob already decoded as another encoding
        if len(set(blob)) < 10 and not blob.startswith("\\x"):
            continue  # a run of one letter; a hash's hex digits stay below the length floor
        budget_blobs -= 1
        budget_chars -= len(blob)
        if budget_blobs < 0 or budget_chars < 0:
            out.append(
                Finding.of(
                    rules["encoded.too_many_blobs"],
                    path,
                    line_at(text, start),
                    blob,
                    f"encoded blobs after line {line_at(text, start)} were not decoded "
                    f"(over {MAX_BLOBS} blobs or {MAX_BLOB_CHARS // 1024 // 1024} MiB)",
                )
            )
            break
        raw = decode_layers(blob, kind)
        if raw is None or len(raw) < 16:
            continue
        line = line_at(text, start)
        where = f"{path}:{line}"
        wide = _utf16_text(raw)
        if wide is not None:
            raw = wide.encode("utf-8")
        if is_binary(raw):
            if _noise(blob, kind, raw):
                continue
            decoded_until = start + len(blob)
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
        decoded_until = start + len(blob)
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
                    line_text(text, start),
                    f"an encoded blob decodes to code: {decoded[:80]!r}",
                )
            )
    return out
