"""Folded values and the pure operations on them (see :mod:`.python_fold`): joining paths,
``+``/``%``/``/``, decoding constants, ``chr``/``bytes``, ``.replace``/``.format`` — each
bounded by :data:`MAX_CHOICES` and :data:`MAX_LEN`, none raising."""

from __future__ import annotations

import ast
import base64
import binascii
import codecs
from collections.abc import Callable, Iterable

__all__ = [
    "DECODE",
    "HOLE",
    "MAX_CHOICES",
    "MAX_LEN",
    "Choices",
    "Value",
    "apply",
    "bounded",
    "builtin",
    "codec",
    "combos",
    "complete",
    "join_path",
    "mapped",
    "method",
    "pick",
    "product",
    "texts",
]

Value = str | bytes | int | tuple["Value", ...]
Choices = tuple[Value, ...]

MAX_CHOICES = 16  # values one expression may hold
MAX_LEN = 4096  # characters of one folded string
_NONE: Choices = ()
#: Stands for a part known only at run time inside a string built from known parts
#: (``Path(root, ".env")`` → ``"\ufffc/.env"``): the rest still says what the string is.
HOLE = "\ufffc"

#: Calls that decode constants: name → function of the folded argument.
DECODE: dict[str, Callable[[bytes], bytes]] = {
    "b64decode": base64.b64decode,
    "urlsafe_b64decode": base64.urlsafe_b64decode,
    "standard_b64decode": base64.standard_b64decode,
    "decodebytes": base64.decodebytes,
    "b32decode": base64.b32decode,
    "b16decode": base64.b16decode,
    "b85decode": base64.b85decode,
    "a85decode": base64.a85decode,
    "unhexlify": binascii.unhexlify,
    "a2b_hex": binascii.a2b_hex,
    "a2b_base64": binascii.a2b_base64,
}


def texts(choices: Iterable[Value]) -> list[str]:
    """The strings among folded choices (bytes decoded leniently; tuples flattened)."""
    out: list[str] = []
    for value in choices:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, bytes):
            out.append(value.decode("utf-8", "replace"))
        elif isinstance(value, tuple):
            out.extend(texts(value))
    return out


def complete(value: str) -> bool:
    """Whether a folded string is known in full (no run-time :data:`HOLE`)."""
    return HOLE not in value


def join_path(parts: list[str]) -> str:
    out = ""
    for part in parts:
        if not out or part.startswith(("/", "~")):
            out = part
        elif out.endswith(("/", "\\")):
            out += part
        else:
            out += "/" + part
    return out


def builtin(name: str, value: Value, more: bool) -> Value | None:
    """``chr``, ``bytes``, ``bytes.fromhex``, ``reversed``, ``list`` of a folded value
    (``more``: the call had further arguments, ``bytes(s, "utf-8")``)."""
    try:
        if name == "chr" and isinstance(value, int):
            return chr(value)
        if name in ("bytes", "bytearray") and isinstance(value, tuple):
            return bytes(v for v in value if isinstance(v, int))
        if name in ("bytes", "bytearray") and isinstance(value, str) and more:
            return value.encode()
        if name == "fromhex" and isinstance(value, str):
            return bytes.fromhex(value)
        if name == "reversed" and isinstance(value, str | tuple):
            return tuple(reversed(value))
        if name in ("list", "tuple") and isinstance(value, str | tuple):
            return tuple(value)
    except (ValueError, OverflowError):
        return None
    return None


def codec(name: str, value: Value, encoding: str) -> Value | None:
    """``.decode(encoding)`` / ``.encode(encoding)`` of a folded value (rot13 included)."""
    try:
        if name == "decode" and isinstance(value, bytes):
            return value.decode(encoding, "replace")
        if name == "decode" and isinstance(value, str):
            decoded = codecs.decode(value, encoding)  # type: ignore[call-overload]
            return decoded if isinstance(decoded, str | bytes) else None
        if name == "encode" and isinstance(value, str):
            return value.encode(encoding, "replace")
    except (LookupError, ValueError, TypeError):
        return None
    return None


def method(name: str, base: Value, args: list[Value], kwargs: dict[str, Value]) -> Value | None:
    """``base.replace(old, new)`` or ``base.format(*args, **kwargs)`` on folded values."""
    if not isinstance(base, str):
        return None
    try:
        if name == "replace" and len(args) >= 2:
            old, new = args[0], args[1]
            if isinstance(old, str) and isinstance(new, str):
                return base.replace(old, new)
        elif name == "format":
            return base.format(*args, **kwargs)
    except (IndexError, KeyError, ValueError, AttributeError):
        return None
    return None


def apply(op: ast.operator, a: Value, b: Value) -> list[Value]:
    try:
        if isinstance(op, ast.Add):
            if isinstance(a, str) and isinstance(b, str):
                return [a + b]
            if isinstance(a, bytes) and isinstance(b, bytes):
                return [a + b]
            if isinstance(a, int) and isinstance(b, int):
                return [a + b]
            if isinstance(a, tuple) and isinstance(b, tuple):
                return [a + b]
        elif isinstance(op, ast.Div) and isinstance(a, str) and isinstance(b, str):
            return [join_path([a, b])]  # Path / "x"
        elif isinstance(op, ast.Mod) and isinstance(a, str):
            return [a % b]
        elif (
            isinstance(op, ast.Sub | ast.BitXor | ast.Mult)
            and isinstance(a, int)
            and isinstance(b, int)
        ):
            if isinstance(op, ast.Sub):
                return [a - b]
            return (
                [a ^ b] if isinstance(op, ast.BitXor) else [a * b] if abs(a * b) < 1 << 32 else []
            )
    except (TypeError, ValueError, KeyError):
        return []
    return []


def pick(value: Value, index: int) -> Choices:
    """Element ``index`` of a folded tuple (``-1``: any element, for loop variables)."""
    if index == -1:
        if isinstance(value, tuple):
            return value
        return tuple(value) if isinstance(value, str) else _NONE
    if isinstance(value, tuple) and index < len(value):
        return (value[index],)
    return _NONE


def mapped(values: Choices, decode: Callable[[bytes], bytes]) -> Choices:
    out: list[Value] = []
    for value in values:
        raw = value.encode() if isinstance(value, str) else value
        if isinstance(raw, bytes):
            try:
                out.append(decode(raw))
            except (ValueError, binascii.Error):
                continue
    return tuple(out)


def combos(parts: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    combos: list[tuple[str, ...]] = [()]
    for choices in parts:
        combos = [(*c, v) for c in combos for v in choices][:MAX_CHOICES]
    return combos


def product(parts: list[Choices], sep: str) -> Choices:
    strs = [tuple(v for v in p if isinstance(v, str)) for p in parts]
    if any(not s for s in strs):
        return _NONE
    return tuple(sep.join(c) for c in combos(strs))


def bounded(values: Choices) -> Choices:
    out: list[Value] = []
    for value in values:
        if isinstance(value, str | bytes | tuple) and len(value) > MAX_LEN:
            continue
        if value not in out:
            out.append(value)
        if len(out) >= MAX_CHOICES:
            break
    return tuple(out)
