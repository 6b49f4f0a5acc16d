"""A shell script's own functions and the URLs their callers pass them.

``fetch() { curl -fsSL "$1/$2.md"; }`` then ``fetch "$mirror" cmd``: the host ``fetch``
reaches is whatever the callers pass, which folding (:mod:`.shell_fold`) makes literal on
the calling lines. Capability inference counts those hosts; the download rule lowers a
``curl "$url" | sh`` inside a function when every caller passes a vendor's own installer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "COMMAND_START",
    "URL_TEXT",
    "ShellFunction",
    "calls_of",
    "enclosing",
    "functions",
    "passed_urls",
]

#: ``name() {``, ``function name {``, ``function name() {`` (the body may follow on the line).
_HEAD = re.compile(r"^\s*(?:function\s+)?([A-Za-z_][\w-]*)\s*(?:\(\s*\))?\s*\{\s*(.*)$")
_NOT_NAMES = frozenset({"if", "then", "else", "do", "while", "for", "case"})
#: Where a command starts on a line: its beginning, after ``;``, ``&&``, ``||``, ``|``, ``(``,
#: ``then``, ``do``, ``else``, or a ``case`` pattern's ``)``.
COMMAND_START = r"(?:^|[;&|()]\s*|\b(?:then|do|else)\s+)"
#: A URL as written in a line of shell (up to a quote, a space or a closing parenthesis).
URL_TEXT = re.compile(r"https?://[^\s'\"`)]+", re.IGNORECASE)
#: Functions followed per script.
_MAX_FUNCTIONS = 256


@dataclass(frozen=True, slots=True)
class ShellFunction:
    """A function defined in a script: its name and the lines of its body (inclusive)."""

    name: str
    first: int
    last: int


def functions(lines: Iterable[tuple[int, str]]) -> list[ShellFunction]:
    """The functions defined over ``(number, line)`` pairs. A body spread over lines ends at
    a line holding only ``}`` indented no deeper than the head (a ``{ …; }`` group inside
    it does not end it); a one-line body ends on its own line."""
    out: list[ShellFunction] = []
    open_name, start, indent = "", 0, 0
    for number, line in lines:
        if open_name:
            stripped = line.strip()
            if stripped == "}" and len(line) - len(line.lstrip()) <= indent:
                out.append(ShellFunction(open_name, start, number))
                open_name = ""
            continue
        head = _HEAD.match(line)
        if head is None or head.group(1) in _NOT_NAMES or len(out) >= _MAX_FUNCTIONS:
            continue
        body = head.group(2).rstrip()
        if body.endswith("}"):
            out.append(ShellFunction(head.group(1), number, number))
        else:
            open_name, start, indent = head.group(1), number, len(line) - len(line.lstrip())
    return out


def enclosing(defined: list[ShellFunction], number: int) -> ShellFunction | None:
    """The function whose body holds line ``number``."""
    return next((f for f in defined if f.first <= number <= f.last), None)


def calls_of(names: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern finding a call of any of ``names`` on a line (``None`` for no names)."""
    listed = sorted(set(names))
    if not listed:
        return None
    return re.compile(COMMAND_START + r"(?:" + "|".join(map(re.escape, listed)) + r")(?:\s|$)")


def passed_urls(
    folded: Iterable[tuple[int, str]], function: ShellFunction
) -> list[tuple[int, list[str]]]:
    """``(line, URLs on it)`` for every folded line calling ``function`` outside its own
    body (a call passing no literal URL has an empty list: what it passes is unknown)."""
    calls = calls_of([function.name])
    assert calls is not None
    return [
        (number, URL_TEXT.findall(line))
        for number, line in folded
        if not function.first <= number <= function.last and calls.search(line)
    ]
