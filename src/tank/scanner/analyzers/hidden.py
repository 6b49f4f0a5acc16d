"""Invisible characters: Unicode tags, bidi controls and zero-width characters in any text.

Tags (U+E0000–U+E007F) spell ASCII that no human sees but models read; bidi controls make
code read differently than it runs ("Trojan Source"). Three uses are how text is written,
not hiding, and are not reported: a zero-width joiner between two emoji (families, the
rainbow flag), a tag sequence that spells a subdivision flag (🏴 + tag letters + cancel tag:
England, Scotland, Wales), and a directional mark (U+200E/U+200F/U+061C) that does not split
a word — marks order neutral characters in right-to-left text and cannot reorder code.
"""

from __future__ import annotations

import re

from tank.scanner.analyzers.base import Context, line_at, line_text
from tank.scanner.model import Finding

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


def analyze_hidden(path: str, text: str, context: Context) -> list[Finding]:
    """One finding per kind of hidden character, at its first occurrence."""
    rules = context.rules
    first: dict[str, int] = {}
    flags = [m.span() for m in _FLAG_TAGS.finditer(text)] if "\U0001f3f4" in text else []
    for found in _CANDIDATES.finditer(text):
        index, char = found.start(), found.group(0)
        code = ord(char)
        if 0xE0000 <= code <= 0xE007F:
            if not any(a < index < b for a, b in flags):
                first.setdefault("hidden.unicode_tags", index)
        elif char in _MARKS:
            if _splits_word(text, index):
                first.setdefault("hidden.bidi", index)
        elif char in _BIDI:
            first.setdefault("hidden.bidi", index)
        elif char in _ZERO_WIDTH:
            if index == 0 and char == "\ufeff":
                continue  # a byte-order mark
            if (
                char == "\u200d"
                and 0 < index < len(text) - 1
                and (_emoji(text[index - 1]) and _emoji(text[index + 1]))
            ):
                continue
            first.setdefault("hidden.zero_width", index)
    out = []
    for rule_id, index in sorted(first.items(), key=lambda kv: kv[1]):
        hidden = "".join(
            chr(ord(c) - 0xE0000) for c in text[index : index + 400] if 0xE0020 <= ord(c) <= 0xE007E
        )
        message = rules[rule_id].title + (f": they spell {hidden[:80]!r}" if hidden else "")
        out.append(
            Finding.of(rules[rule_id], path, line_at(text, index), line_text(text, index), message)
        )
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
