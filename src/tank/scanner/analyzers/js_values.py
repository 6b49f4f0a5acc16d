"""Folded JavaScript values and the pure operations on them (see :mod:`.js_fold`): a value
is a string whose unknown parts are :data:`HOLE`, or an array of values; decoding, path
joining and URL parts work on them within the size bounds below.
"""

from __future__ import annotations

import base64
import binascii
import itertools
from typing import TYPE_CHECKING

from tank.scanner.analyzers.js_tree import text_of

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = [
    "HOLE",
    "MAX_ALTERNATIVES",
    "MAX_CHARS",
    "MAX_DEPTH",
    "MAX_ITEMS",
    "MAX_STEPS",
    "Value",
    "as_text",
    "clip",
    "complete",
    "decode",
    "fragment",
    "join_path",
    "product",
    "url_part",
]

#: Stands for a part of a string that is known only at run time.
HOLE = "\x00"
MAX_ALTERNATIVES = 16
MAX_CHARS = 4096
MAX_ITEMS = 256
MAX_DEPTH = 12
MAX_STEPS = 40_000
#: A folded value: a string, or an array of values.
Value = str | tuple["Value", ...]


def complete(text: str) -> bool:
    """Whether ``text`` was folded without unknown parts."""
    return HOLE not in text


def clip(text: str) -> str:
    return text[:MAX_CHARS]


def as_text(value: Value) -> str:
    """A value as a string, as JavaScript's ``String(x)`` would give it (arrays join by ``,``)."""
    if isinstance(value, str):
        return value
    return clip(",".join(as_text(v) for v in value))


def product(options: list[list[Value]]) -> list[tuple[Value, ...]]:
    return list(itertools.islice(itertools.product(*options), MAX_ALTERNATIVES))


def fragment(node: Node) -> str:
    raw = text_of(node)
    if node.type != "escape_sequence":
        return raw
    try:
        return raw.encode("latin-1", "backslashreplace").decode("unicode_escape")
    except (UnicodeDecodeError, ValueError):
        return raw


def decode(value: Value, encoding: str) -> str:
    text = as_text(value)
    if not complete(text):
        return HOLE
    try:
        if encoding in ("base64", "base64url"):
            padded = text + "=" * (-len(text) % 4)
            raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"))
        elif encoding == "hex":
            raw = binascii.unhexlify(text)
        else:
            return text
    except (ValueError, binascii.Error):
        return HOLE
    return clip(raw.decode("utf-8", "replace"))


def join_path(parts: tuple[str, ...]) -> str:
    pieces = [p for p in parts if p]
    joined = "/".join(p.rstrip("/") if i < len(pieces) - 1 else p for i, p in enumerate(pieces))
    while "//" in joined:
        joined = joined.replace("//", "/")
    return joined.replace("/./", "/")


def url_part(value: str, part: str) -> str:
    scheme, sep, rest = value.partition("://")
    if not sep:
        return HOLE
    host, _, path = rest.partition("/")
    if part in ("host", "hostname"):
        return host.split(":", 1)[0] if part == "hostname" else host
    if part == "pathname":
        return "/" + path.split("?", 1)[0]
    if part == "origin":
        return f"{scheme}://{host}"
    return value
