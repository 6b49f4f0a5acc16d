"""Invisible characters: Unicode tags, bidi controls and zero-width characters in any text.

Tags (U+E0000–U+E007F) spell ASCII that no human sees but models read; bidi controls make
code read differently than it runs ("Trojan Source"). Three uses are how text is written,
not hiding, and are not reported: a zero-width joiner between two emoji (families, the
rainbow flag), a tag sequence that spells a subdivision flag (🏴 + tag letters + cancel tag:
England, Scotland, Wales), and a directional mark (U+200E/U+200F/U+061C) that does not split
a word — marks order neutral characters in right-to-left text and cannot reorder code.

Characters inside a string literal of a Python test file (``tests/``, ``test_*.py``) are
fixtures: a tool that detects or strips hidden characters has to test on them. They are a
low note, decided by where they are, never by the words around them: a docstring is prose
an agent reads (reported as usual), and tag characters that spell more than a few letters
are a message, not a fixture, wherever they sit.
"""

from __future__ import annotations

import ast
import bisect
import io
import re

from tank.scanner.analyzers.base import Context, line_at, line_text, parse_python
from tank.scanner.model import Finding, Severity

__all__ = ["analyze_hidden"]

_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_MARKS = frozenset("\u200e\u200f\u061c")
#: An emoji tag sequence: the black flag, 2-7 tag letters or digits, the cancel tag.
_FLAG_TAGS = re.compile("\U0001f3f4[\U000e0030-\U000e0039\U000e0061-\U000e007a]{2,7}\U000e007f")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\u180e\ufeff")


_CANDIDATES = re.compile("[" + "".join(sorted(_BIDI | _ZERO_WIDTH)) + "\U000e0000-\U000e007f]")


def _emoji(char: str) -> bool:
    code = ord(char)
    return code >= 0x1F000 or 0x2600 <= code <= 0x27BF or code in (0xFE0F, 0x20E3)


def _splits_word(text: str, index: int) -> bool:
    """Whether the character at ``index`` sits between two ASCII letters or digits."""
    return 0 < index < len(text) - 1 and all(
        c.isascii() and c.isalnum() for c in (text[index - 1], text[index + 1])
    )


#: Tag characters in a test file's fixtures spell a few words in all; more is a message to
#: a model, however it is split across literals.
MAX_FIXTURE_TAGS = 32
#: Test files whose string literals are parsed for fixtures (larger ones are not).
_MAX_FIXTURE_FILE = 256 * 1024
_PY_TEST_FILE = re.compile(
    r"(?:^|/)(?:tests?|testing)/[^\n]*\.py$|(?:^|/)(?:test_[^/]*|[^/]*_test)\.py$"
)


def _kind(text: str, index: int, flags: list[tuple[int, int]]) -> str | None:
    """The rule for the hidden character at ``index``, or None when it is how text is
    written (a flag's tags, a directional mark inside right-to-left text, an emoji joiner)."""
    char = text[index]
    code = ord(char)
    if 0xE0000 <= code <= 0xE007F:
        return None if any(a < index < b for a, b in flags) else "hidden.unicode_tags"
    if char in _MARKS:
        return "hidden.bidi" if _splits_word(text, index) else None
    if char in _BIDI:
        return "hidden.bidi"
    if index == 0 and char == "\ufeff":
        return None  # a byte-order mark
    if (
        char == "\u200d"
        and 0 < index < len(text) - 1
        and (_emoji(text[index - 1]) and _emoji(text[index + 1]))
    ):
        return None
    return "hidden.zero_width"


def _fixtures(path: str, text: str) -> list[tuple[int, int]]:
    """The spans (character offsets) of the string literals of a Python test file, sorted;
    docstrings left out (they are prose). Empty for other files."""
    if not _PY_TEST_FILE.search(path) or len(text) > _MAX_FIXTURE_FILE:
        return []
    try:
        tree = parse_python(text, path)
    except (SyntaxError, ValueError, RecursionError):
        return []
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    lines = io.StringIO(text, newline="").readlines()  # the line ends the parser counts
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(line: int, col: int) -> int:  # ast columns count UTF-8 bytes
        raw = lines[line - 1].encode("utf-8")[:col] if line - 1 < len(lines) else b""
        return starts[line - 1] + len(raw.decode("utf-8", "replace"))

    spans = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and node.end_lineno is not None
            and node.end_col_offset is not None
        ):
            start = offset(node.lineno, node.col_offset)
            spans.append((start, offset(node.end_lineno, node.end_col_offset)))
    return sorted(spans)


def _inside(spans: list[tuple[int, int]], index: int) -> bool:
    at = bisect.bisect_right(spans, (index, 1 << 62)) - 1
    return at >= 0 and spans[at][0] <= index < spans[at][1]


def _spelled(text: str, index: int) -> str:
    return "".join(
        chr(ord(c) - 0xE0000) for c in text[index : index + 400] if 0xE0020 <= ord(c) <= 0xE007E
    )


def analyze_hidden(path: str, text: str, context: Context) -> list[Finding]:
    """One finding per kind of hidden character, at its first occurrence (a low note when
    every occurrence of the kind is a test file's fixture)."""
    rules = context.rules
    first: dict[str, int] = {}
    fixture: dict[str, int] = {}  # first occurrence in a test fixture, per kind
    flags = [m.span() for m in _FLAG_TAGS.finditer(text)] if "\U0001f3f4" in text else []
    spans: list[tuple[int, int]] | None = None
    tags = 0  # tag characters in the whole file, counted once it may hold fixtures
    for found in _CANDIDATES.finditer(text):
        index = found.start()
        rule_id = _kind(text, index, flags)
        if rule_id is None or rule_id in first:
            continue
        if spans is None:
            spans = _fixtures(path, text)
            tags = sum(1 for c in text if 0xE0020 <= ord(c) <= 0xE007E) if spans else 0
        if (
            spans
            and _inside(spans, index)
            and (rule_id != "hidden.unicode_tags" or tags <= MAX_FIXTURE_TAGS)
        ):
            fixture.setdefault(rule_id, index)
        else:
            first[rule_id] = index
    out = []
    noted = {k: v for k, v in fixture.items() if k not in first}
    for rule_id, index in sorted({**first, **noted}.items(), key=lambda kv: kv[1]):
        hidden = _spelled(text, index) if rule_id == "hidden.unicode_tags" else ""
        message = rules[rule_id].title + (f": they spell {hidden[:80]!r}" if hidden else "")
        low = rule_id in noted
        out.append(
            Finding.of(
                rules[rule_id],
                path,
                line_at(text, index),
                line_text(text, index),
                message + (" (a string literal of a test file: a fixture)" if low else ""),
                severity=Severity.LOW if low else None,
            )
        )
    first = {**first, **noted}
    if first and context.depth < 3:
        # What the invisible characters split (cu\u200brl) is rescanned with them removed.
        visible = "".join(
            c
            for c in text
            if c not in _ZERO_WIDTH and c not in _BIDI and not 0xE0000 <= ord(c) <= 0xE007F
        )
        out.extend(
            f
            for f in context.rescan(path, visible, context.depth + 1)
            if not f.rule.startswith("hidden.")
        )
    return out
