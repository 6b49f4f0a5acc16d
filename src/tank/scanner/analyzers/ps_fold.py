"""PowerShell constant folding: the strings a script builds at run time, written out.

Malware hides its words from string rules: ``-join ([char[]](112,111,119,…))`` is
``powershell``, ``-join ('ten.elpmaxe'[-1..-11])`` is ``example.net``, ``"$n.exe"`` is
``powershell.exe`` once ``$n`` is known, and ``[Text.Encoding]::Unicode.GetString(
[Convert]::FromBase64String('SQBFAFgA…'))`` is a command. :func:`fold_script` rewrites each
line with every constant expression replaced by its value (a single-quoted literal), so the
rules read what runs. Comments are dropped first: an author's trailing ``# …`` is not code.

Bounded: lines past :data:`MAX_LINE` chars are left as they are, each line is rewritten at
most :data:`_ROUNDS` times, and a decoded literal is at most :data:`MAX_VALUE` chars.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = [
    "MAX_LINE",
    "MAX_VALUE",
    "Folded",
    "decode_encoded_command",
    "fold_script",
    "strip_comment",
]

MAX_LINE = 8000
MAX_VALUE = 64 * 1024
_ROUNDS = 12
_MAX_VARS = 500

_SQ = r"'(?:[^']|'')*'"
_DQ = r'"(?:[^"`]|`.)*"'
_LIT = rf"(?:{_SQ})"
_CHAR_ARRAY = re.compile(
    r"\[char\[\]\]\s*@?\(\s*((?:0x[0-9a-f]+|\d+)(?:\s*,\s*(?:0x[0-9a-f]+|\d+))*)\s*\)", re.I
)
_CHAR = re.compile(r"\[char\]\s*\(?\s*(0x[0-9a-f]+|\d+)\s*\)?", re.I)
_REVERSE = re.compile(rf"({_LIT})\s*\[\s*-1\s*\.\.\s*-\s*(\d+)\s*\]")
_JOIN_ONE = re.compile(rf"-join\s*\(?\s*({_LIT})\s*\)?", re.I)
#: ``-join ('ghp_', 'Zx81', …)``: the unary join of a list.
_JOIN_UNARY = re.compile(rf"-join\s*\(\s*((?:{_LIT})(?:\s*,\s*{_LIT})+)\s*\)", re.I)
#: ``Join-Path $HOME '.azure'``: a path under a folder variable (kept as written, as the
#: shell folder keeps ``$HOME``) or a literal, joined with ``/``.
_JOIN_PATH = re.compile(
    rf"\(?\s*Join-Path\s+(?:-Path\s+)?({_LIT}|\$HOME\b|\$env:\w+|~)\s+(?:-ChildPath\s+)?"
    rf"({_LIT})\s*\)?",
    re.I,
)
_JOIN_LIST = re.compile(rf"\(?\s*((?:{_LIT})(?:\s*,\s*{_LIT})+)\s*\)?\s*-join\s*({_LIT})?", re.I)
_JOIN_STATIC = re.compile(
    rf"\[string\]::join\(\s*({_LIT})\s*,\s*@?\(?\s*((?:{_LIT})(?:\s*,\s*{_LIT})*)\s*\)?\s*\)",
    re.I,
)
_PAREN = re.compile(rf"(?<![\w\])])\(\s*({_LIT})\s*\)")
_CONCAT = re.compile(rf"({_LIT})\s*\+\s*({_LIT})")
_FROM_B64 = re.compile(
    r"\[(?:System\.)?Text\.Encoding\]::(Unicode|UTF8|ASCII|Default)\.GetString\(\s*"
    rf"\[(?:System\.)?Convert\]::FromBase64String\(\s*({_LIT})\s*\)\s*\)",
    re.I,
)
_REPLACE = re.compile(rf"({_LIT})\s*-c?replace\s*({_LIT})\s*,\s*({_LIT})", re.I)
_VAR = re.compile(r"\$(?:\{(\w+)\}|(\w+))")
_ASSIGN = re.compile(r"^\s*\$(\w+)\s*=\s*(.+?)\s*;?\s*$")
_ENCODED = re.compile(
    r"(?<![\w-])-(?:e|ec|en|enc|enco|encod|encode|encoded|encodedc\w*)\s+['\"]?([A-Za-z0-9+/]{16,}={0,2})",
    re.I,
)


@dataclass(slots=True)
class Folded:
    """A script's lines with constants folded, and the string variables it sets."""

    lines: list[tuple[int, str]] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)


def _value(literal: str) -> str:
    return literal[1:-1].replace("''", "'")


def _quote(value: str) -> str:
    return "'" + value[:MAX_VALUE].replace("'", "''") + "'"


def _chars(codes: str) -> str:
    out = []
    for code in re.split(r"\s*,\s*", codes.strip()):
        number = int(code, 16) if code.lower().startswith("0x") else int(code)
        out.append(chr(number) if 0 < number < 0x110000 else "?")
    return "".join(out)


def _b64(text: str, encoding: str) -> str | None:
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
    codec = {"unicode": "utf-16-le", "utf8": "utf-8", "ascii": "ascii"}.get(encoding, "utf-8")
    try:
        decoded = raw[: MAX_VALUE * 2].decode(codec)
    except UnicodeDecodeError:
        return None
    printable = sum(c.isprintable() or c in "\r\n\t" for c in decoded)
    return decoded if decoded and printable >= 0.95 * len(decoded) else None


def decode_encoded_command(text: str) -> list[str]:
    """What ``powershell -EncodedCommand <base64>`` (any abbreviation) would run: the
    UTF-16LE text of each such argument in ``text`` that decodes to printable text."""
    out = []
    for match in _ENCODED.finditer(text):
        decoded = _b64(match.group(1), "unicode")
        if decoded is not None:
            out.append(decoded)
    return out


def strip_comment(line: str) -> str:
    """``line`` without a ``#`` comment (a ``#`` inside a quoted string is kept)."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t;|)}"):
            return line[:index].rstrip()
    return line


def _expand_dq(match: re.Match[str], values: dict[str, str]) -> str:
    body = match.group(0)[1:-1]

    def sub(var: re.Match[str]) -> str:
        name = (var.group(1) or var.group(2)).lower()
        return values.get(name, var.group(0))

    expanded = _VAR.sub(sub, re.sub(r"\$\(\s*\$(\w+)\s*\)", r"$\1", body))
    if "$" in expanded or "`" in expanded:
        return '"' + expanded + '"'
    return _quote(expanded)


def _substitute(line: str, values: dict[str, str]) -> str:
    """Known variables written as their values, in double-quoted strings and bare."""
    line = re.sub(_DQ, lambda m: _expand_dq(m, values), line)
    parts = re.split(f"({_SQ})", line)
    for index in range(0, len(parts), 2):
        parts[index] = _VAR.sub(
            lambda v: (
                _quote(values[n])
                if (n := (v.group(1) or v.group(2)).lower()) in values
                else v.group(0)
            ),
            parts[index],
        )
    return "".join(parts)


def fold_line(line: str, values: dict[str, str]) -> str:
    """One line with its constant expressions replaced by single-quoted literals."""
    if len(line) > MAX_LINE:
        return line
    expanded = _substitute(line, values)
    if len(expanded) > MAX_LINE:
        return line
    line = expanded
    steps: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
        (_CHAR_ARRAY, lambda m: _quote(_chars(m.group(1)))),
        (_CHAR, lambda m: _quote(_chars(m.group(1)))),
        (_REVERSE, lambda m: _quote(_value(m.group(1))[::-1][: int(m.group(2))])),
        (_FROM_B64, lambda m: _quote(_b64(_value(m.group(2)), m.group(1).lower()) or "")),
        (_JOIN_STATIC, lambda m: _quote(_value(m.group(1)).join(_items(m.group(2))))),
        (_JOIN_LIST, lambda m: _quote(_value(m.group(2) or "''").join(_items(m.group(1))))),
        (_JOIN_UNARY, lambda m: _quote("".join(_items(m.group(1))))),
        (_JOIN_ONE, lambda m: m.group(1)),
        (_JOIN_PATH, lambda m: _quote(_path_part(m.group(1)) + "/" + _value(m.group(2)))),
        (_REPLACE, lambda m: _quote(_ps_replace(m))),
        (_CONCAT, lambda m: _quote(_value(m.group(1)) + _value(m.group(2)))),
        (_PAREN, lambda m: m.group(1)),
    )
    for _ in range(_ROUNDS):
        before = line
        for pattern, make in steps:
            line = pattern.sub(make, line)
            if len(line) > MAX_LINE:
                return before
        if line == before:
            break
    return line


def _path_part(word: str) -> str:
    return _value(word).rstrip("/\\") if word.startswith("'") else word


def _items(listing: str) -> list[str]:
    return [_value(m.group(0)) for m in re.finditer(_SQ, listing)]


def _ps_replace(match: re.Match[str]) -> str:
    try:
        return re.sub(_value(match.group(2)), _value(match.group(3)), _value(match.group(1)))
    except re.error:
        return _value(match.group(1))


def fold_script(text: str) -> Folded:
    """Every line of ``text`` folded, top to bottom, learning ``$name = <constant>`` as it
    goes (a later assignment replaces an earlier one; names are case-insensitive)."""
    folded = Folded()
    in_block = False
    pending, start = "", 0
    for line_number, raw in enumerate(text.split("\n"), start=1):
        if in_block or raw.lstrip().startswith("<#"):
            in_block = "#>" not in raw
            continue
        code = strip_comment(raw)
        if code.rstrip().endswith("`") and len(pending) < MAX_LINE:
            # a backtick at the end continues the command on the next line
            start = start or line_number
            pending += code.rstrip()[:-1].rstrip() + " "
            continue
        number = start or line_number
        if pending:
            code, pending, start = pending + code.strip(), "", 0
        if not code.strip():
            continue
        assigned = _ASSIGN.match(code)
        if assigned is None:
            folded.lines.append((number, fold_line(code, folded.values)))
            continue
        name = assigned.group(1).lower()
        rhs = fold_line(assigned.group(2), folded.values)
        folded.lines.append((number, f"${assigned.group(1)} = {rhs}"))
        if re.fullmatch(_SQ, rhs) and len(folded.values) < _MAX_VARS:
            folded.values[name] = _value(rhs)
        else:
            folded.values.pop(name, None)
    return folded
