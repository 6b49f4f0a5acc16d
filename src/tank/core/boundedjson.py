"""JSON from outside, read within bounds: size, nesting depth and number length are checked first.

``json.loads`` recurses once per nesting level and Python turns decimal digits into an int in
quadratic time, so a 1 KiB skills.json of ``{"a":`` nested 100,000 deep, or one 5,000-digit
number, is enough to exhaust a registry worker or crash the client with an internal error.
Every parser of JSON that Tank did not write itself (skills.json, skills.lock, registry
documents) goes through :func:`loads`, which runs a linear pre-scan before anything else (before
``json.loads`` and before :mod:`tank.core.jsonpos` maps positions) and refuses text that passes
a limit with a :class:`JsonRefused`. That is a ``ValueError``, like ``json.JSONDecodeError``, so
a caller that already handles broken JSON handles refused JSON too.

Limits and why:

- :data:`MAX_DEPTH` ``= 64`` nested arrays and objects. A skills.json needs about six levels
  (``permissions.network.outbound[0]``) and interface schemas a dozen or two; CPython's own
  recursion limit (about 1,000 frames) is far above, so ``json.loads`` never hits it.
- :data:`MAX_NUMBER_CHARS` ``= 100`` characters per number. Versions are strings; no number Tank
  reads needs more than 20 digits, and Python refuses 4,300 digits anyway (with a ``ValueError``
  nobody expected), after a quadratic conversion below that.
- :data:`MANIFEST_MAX_BYTES` ``= 1 MiB`` for a skills.json (real ones are a few KiB; interface
  schemas may add some), :data:`LOCKFILE_MAX_BYTES` ``= 16 MiB`` for a skills.lock (about
  30,000 locked skills) and :data:`DOCUMENT_MAX_BYTES` ``= 32 MiB`` for a registry document.
  Everything after the pre-scan (decoding, position mapping, schema checks) is linear in the
  size, so the size bounds the time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from tank.core.errors import Location, ValidationError
from tank.core.limits import DEFAULT_LIMITS

MiB = 1024 * 1024
#: Deepest nesting of arrays and objects accepted (see the module doc).
MAX_DEPTH = 64
#: Longest number accepted, in characters (sign, digits, fraction and exponent).
MAX_NUMBER_CHARS = 100
#: Largest skills.json accepted, in bytes.
MANIFEST_MAX_BYTES = 1 * MiB
#: Largest skills.lock accepted, in bytes.
LOCKFILE_MAX_BYTES = 16 * MiB
#: Largest JSON document accepted from a registry, in bytes.
DOCUMENT_MAX_BYTES = 32 * MiB
#: Deepest nesting accepted in JSON files of a skill that other tools read (package.json,
#: coverage reports): far past anything real, and well inside ``json.loads``' recursion limit
#: (about 1,000 frames), so a refusal is an attack, not a false alarm.
FILE_MAX_DEPTH = 512

# One token at a time: a string (skipped whole, so brackets and digits inside it do not count;
# the unrolled loop never backtracks), an opening or closing bracket, or a number.
_TOKEN = re.compile(
    r'"[^"\\]*(?:\\[\s\S][^"\\]*)*"?'
    r"|(?P<open>[\[{])"
    r"|(?P<close>[\]}])"
    r"|(?P<number>-?[0-9][0-9.eE+-]*)"
)


class JsonRefused(ValueError):
    """JSON that passes a limit: ``kind`` (``too_large``, ``too_deep``, ``number_too_long``),
    what is wrong, where (1-based ``lineno``/``colno``) and how to fix it."""

    def __init__(self, kind: str, message: str, lineno: int, colno: int, hint: str) -> None:
        super().__init__(message)
        self.kind, self.msg, self.lineno, self.colno, self.hint = kind, message, lineno, colno, hint


def _position(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def check(text: str, *, max_depth: int = MAX_DEPTH) -> None:
    """Raise :class:`JsonRefused` when ``text`` nests deeper than ``max_depth`` or holds a
    number longer than :data:`MAX_NUMBER_CHARS`. Linear in ``len(text)``; stops at the first
    refusal. Text that is not JSON at all passes: ``json.loads`` reports it better.
    """
    depth = 0
    for token in _TOKEN.finditer(text):
        kind = token.lastgroup
        if kind == "open":
            depth += 1
            if depth > max_depth:
                raise JsonRefused(
                    "too_deep",
                    f"the JSON nests more than {max_depth} levels deep",
                    *_position(text, token.start()),
                    "Flatten the structure; no Tank file needs that much nesting.",
                )
        elif kind == "close":
            depth -= 1
        elif kind == "number" and token.end() - token.start() > MAX_NUMBER_CHARS:
            raise JsonRefused(
                "number_too_long",
                f"a number is {token.end() - token.start()} characters long "
                f"(limit {MAX_NUMBER_CHARS})",
                *_position(text, token.start()),
                "Write long values as strings.",
            )


def loads(
    data: str | bytes,
    *,
    max_bytes: int,
    max_depth: int = MAX_DEPTH,
    object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None = None,
) -> Any:
    """``json.loads(data)`` after checking size, depth and numbers.

    Raises :class:`JsonRefused` for JSON past a limit, ``json.JSONDecodeError`` for text that
    is not JSON and ``UnicodeDecodeError`` for bytes that are not UTF-8: all ``ValueError``.
    """
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise JsonRefused(
            "too_large",
            f"the JSON is {size} bytes long (limit {max_bytes})",
            1,
            1,
            "Keep the file to what it is for; large data belongs in other files.",
        )
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    text = text.removeprefix("\ufeff")
    check(text, max_depth=max_depth)
    try:
        return json.loads(text, object_pairs_hook=object_pairs_hook)
    except RecursionError:  # unreachable with a sane max_depth; kept so it can never crash
        raise JsonRefused(
            "too_deep", "the JSON nests too deep", 1, 1, "Flatten the structure."
        ) from None
    except json.JSONDecodeError:
        raise
    except ValueError as error:  # e.g. Python's int-string conversion limit
        raise JsonRefused(
            "number_too_long", f"a number cannot be read: {error}", 1, 1, "Write it as a string."
        ) from None


def loads_skill_file(data: str | bytes) -> Any:
    """A JSON file inside a skill that other tools read (package.json, a coverage report):
    at most one archive file's size and :data:`FILE_MAX_DEPTH` deep (see :func:`loads`)."""
    return loads(data, max_bytes=DEFAULT_LIMITS.max_file_size, max_depth=FILE_MAX_DEPTH)


def load_file(
    data: str | bytes, *, file: str, code: str, max_bytes: int, hint: str, **kwargs: Any
) -> Any:
    """:func:`loads` for a file, raising :class:`ValidationError` with ``file:line:column``.

    Codes are ``<code>.invalid`` (not JSON, with ``hint``), ``<code>.encoding`` (not UTF-8),
    and ``<code>.too_large``, ``<code>.too_deep``, ``<code>.number_too_long`` (past a limit).
    """
    name = file.rsplit("/", 1)[-1]
    try:
        return loads(data, max_bytes=max_bytes, **kwargs)
    except JsonRefused as refused:
        raise ValidationError(
            f"{name} is refused: {refused.msg}",
            code=f"{code}.{refused.kind}",
            location=Location(file, refused.lineno, refused.colno),
            hint=refused.hint,
        ) from None
    except UnicodeDecodeError as bad:
        raise ValidationError(
            f"{name} is not UTF-8 (byte {bad.start})",
            code=f"{code}.encoding",
            location=Location(file),
            hint="Save the file as UTF-8.",
        ) from None
    except json.JSONDecodeError as bad:
        raise ValidationError(
            f"{name} is not valid JSON: {bad.msg}",
            code=f"{code}.invalid",
            location=Location(file, bad.lineno, bad.colno),
            hint=hint,
        ) from None
