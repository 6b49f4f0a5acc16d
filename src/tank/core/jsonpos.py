"""Where each key and array item of a JSON text is, so problems can name a line.

``json`` gives values, not positions. :func:`key_lines` walks the text once (it must already
be valid JSON) and maps every path, as a tuple of keys and indexes, to the 1-based line and
column where its key (for object members) or its value (for array items) starts.

The map is a tree of nodes (one per key or index, each knowing its children), never a dict of
full path tuples: a path tuple per value costs ``depth`` per level, so a document nested
100,000 deep would take quadratic time and memory (the "1 KiB tarball takes the registry down"
bug). Walking the text and looking a path up are both linear.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

Path = tuple[str | int, ...]
Position = tuple[int, int]

_WS = " \t\r\n"
_DECODER = json.JSONDecoder()


class KeyLines(Mapping[Path, Position]):
    """Path -> ``(line, column)``, stored as a tree: node 0 is the document itself."""

    def __init__(self) -> None:
        self._children: list[dict[str | int, int]] = [{}]
        self._where: list[Position | None] = [None]
        self._count = 0

    def child(self, node: int, key: str | int) -> int:
        """The node for ``key`` under ``node``, made when new."""
        kids = self._children[node]
        found = kids.get(key)
        if found is None:
            found = kids[key] = len(self._children)
            self._children.append({})
            self._where.append(None)
        return found

    def mark(self, node: int, position: Position) -> None:
        """Record where ``node`` starts; the first occurrence wins (duplicated keys)."""
        if self._where[node] is None:
            self._where[node] = position
            self._count += 1

    def _walk(self, path: Path) -> Iterator[Position | None]:
        node = 0
        for key in path:
            found = self._children[node].get(key)
            if found is None:
                return
            node = found
            yield self._where[node]

    def locate(self, path: Path) -> Position | None:
        """The position of ``path`` or of its nearest ancestor that was found."""
        best = None
        for position in self._walk(path):
            best = position or best
        return best

    def __getitem__(self, path: Path) -> Position:
        positions = list(self._walk(path))
        if len(positions) != len(path) or positions[-1] is None:
            raise KeyError(path)
        return positions[-1]

    def __iter__(self) -> Iterator[Path]:
        # Builds each path on demand; for inspection and tests (quadratic on deep documents).
        stack: list[tuple[int, Path]] = [(0, ())]
        while stack:
            node, path = stack.pop()
            if node and self._where[node] is not None:
                yield path
            stack.extend((kid, (*path, key)) for key, kid in self._children[node].items())

    def __len__(self) -> int:
        return self._count


def key_lines(text: str) -> KeyLines:
    """Map each path in the JSON ``text`` to ``(line, column)`` (1-based) of where it starts.

    For duplicated keys the first occurrence wins. Text that is not JSON gives a partial map.
    """
    out = KeyLines()
    line_starts = [0]
    line_starts.extend(i + 1 for i, char in enumerate(text) if char == "\n")

    def where(pos: int) -> Position:
        lo, hi = 0, len(line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, pos - line_starts[lo] + 1

    # A stack of open containers: [node, next key or index]. The key of an object member is
    # known once its string is read (None before); an array's next index counts items seen.
    stack: list[list[int | str | None]] = []

    def current() -> int:
        """The node of the value about to be read."""
        if not stack:
            return 0
        node, key = stack[-1]
        assert isinstance(node, int)
        return node if key is None else out.child(node, key)

    def item_at(pos: int) -> None:
        out.mark(current(), where(pos))

    pos = 0
    expecting_key = False
    try:
        while pos < len(text):
            char = text[pos]
            if char in _WS or char in ":,":
                is_array = bool(stack) and isinstance(stack[-1][1], int)
                if char == "," and is_array:
                    index = stack[-1][1]
                    assert isinstance(index, int)
                    stack[-1][1] = index + 1
                    item_at(_skip_ws(text, pos + 1))
                if char in ":,":
                    expecting_key = char == "," and bool(stack) and not is_array
                pos += 1
                continue
            if char == '"':
                value, end = _DECODER.raw_decode(text, pos)
                if expecting_key and stack:
                    node = stack[-1][0]
                    assert isinstance(node, int)
                    stack[-1][1] = str(value)
                    out.mark(out.child(node, str(value)), where(pos))
                    expecting_key = False
                pos = end
                continue
            if char in "{[":
                is_array = char == "["
                stack.append([current(), 0 if is_array else None])
                expecting_key = not is_array
                pos += 1
                first = _skip_ws(text, pos)
                if is_array and first < len(text) and text[first] != "]":
                    item_at(first)
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


def locate(lines: Mapping[Path, Position], path: Path) -> Position | None:
    """The position of ``path`` or of its nearest ancestor that was found."""
    if isinstance(lines, KeyLines):
        return lines.locate(path)
    for cut in range(len(path), 0, -1):
        found = lines.get(path[:cut])
        if found is not None:
            return found
    return None


def pointer(path: Path) -> str:
    """``path`` as a JSON Pointer (RFC 6901), e.g. ``/permissions/network/outbound/0``."""
    parts = (str(p).replace("~", "~0").replace("/", "~1") for p in path)
    return "".join("/" + p for p in parts)
