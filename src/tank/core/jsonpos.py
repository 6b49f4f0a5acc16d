"""Where each key and array item of a JSON text is, so problems can name a line.

``json`` gives values, not positions. :func:`key_lines` walks the text once (it must already
be valid JSON) and maps every path, as a tuple of keys and indexes, to the 1-based line and
column where its key (for object members) or its value (for array items) starts.
"""

from __future__ import annotations

import json

Path = tuple[str | int, ...]

_WS = " \t\r\n"
_DECODER = json.JSONDecoder()


def key_lines(text: str) -> dict[Path, tuple[int, int]]:
    """Map each path in the JSON ``text`` to ``(line, column)`` (1-based) of where it starts.

    For duplicated keys the first occurrence wins. Text that is not JSON gives a partial map.
    """
    out: dict[Path, tuple[int, int]] = {}
    line_starts = [0]
    line_starts.extend(i + 1 for i, char in enumerate(text) if char == "\n")

    def where(pos: int) -> tuple[int, int]:
        lo, hi = 0, len(line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, pos - line_starts[lo] + 1

    # A stack of open containers: (path, next key or index). The key of an object member is
    # known once its string is read; an array's next index counts the items seen.
    stack: list[tuple[Path, list[str | int | None]]] = []
    pos = 0
    expecting_key = False
    try:
        while pos < len(text):
            char = text[pos]
            if char in _WS or char in ":,":
                if char == "," and stack and isinstance(stack[-1][1][0], int):
                    stack[-1][1][0] += 1
                    _mark_item(stack, out, where(_skip_ws(text, pos + 1)))
                if char in ":,":
                    is_object = bool(stack) and not isinstance(stack[-1][1][0], int)
                    expecting_key = char == "," and is_object
                pos += 1
                continue
            if char == '"':
                value, end = _DECODER.raw_decode(text, pos)
                if expecting_key and stack:
                    path = (*stack[-1][0], str(value))
                    stack[-1][1][0] = str(value)
                    out.setdefault(path, where(pos))
                    expecting_key = False
                pos = end
                continue
            if char in "{[":
                path = _current(stack)
                is_array = char == "["
                stack.append((path, [0 if is_array else None]))
                expecting_key = not is_array
                pos += 1
                if (
                    is_array
                    and _skip_ws(text, pos) < len(text)
                    and text[_skip_ws(text, pos)] != "]"
                ):
                    _mark_item(stack, out, where(_skip_ws(text, pos)))
                continue
            if char in "}]":
                stack.pop()
                expecting_key = False
                pos += 1
                continue
            pos += 1  # numbers, true, false, null: nothing to record
    except (ValueError, IndexError):
        pass  # not JSON: keep what was found
    return out


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WS:
        pos += 1
    return pos


def _current(stack: list[tuple[Path, list[str | int | None]]]) -> Path:
    """The path of the value about to be read."""
    if not stack:
        return ()
    path, (key,) = stack[-1][0], stack[-1][1]
    return path if key is None else (*path, key)


def _mark_item(
    stack: list[tuple[Path, list[str | int | None]]],
    out: dict[Path, tuple[int, int]],
    position: tuple[int, int],
) -> None:
    out.setdefault(_current(stack), position)


def locate(lines: dict[Path, tuple[int, int]], path: Path) -> tuple[int, int] | None:
    """The position of ``path`` or of its nearest ancestor that was found."""
    for cut in range(len(path), 0, -1):
        found = lines.get(path[:cut])
        if found is not None:
            return found
    return None


def pointer(path: Path) -> str:
    """``path`` as a JSON Pointer (RFC 6901), e.g. ``/permissions/network/outbound/0``."""
    parts = (str(p).replace("~", "~0").replace("/", "~1") for p in path)
    return "".join("/" + p for p in parts)
