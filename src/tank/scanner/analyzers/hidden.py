"""Invisible characters: Unicode tags, bidi controls and zero-width characters in any text.

Tags (U+E0000–U+E007F) spell ASCII that no human sees but models read; bidi controls make
code read differently than it runs ("Trojan Source"). A zero-width joiner between two
emoji is how families and flags are written, so it is not reported there.
"""

from __future__ import annotations

import re

from tank.scanner.analyzers.base import Context, line_at, line_text
from tank.scanner.model import Finding

__all__ = ["analyze_hidden"]

_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\u180e\ufeff")


_CANDIDATES = re.compile("[" + "".join(sorted(_BIDI | _ZERO_WIDTH)) + "\U000e0000-\U000e007f]")


def _emoji(char: str) -> bool:
    code = ord(char)
    return code >= 0x1F000 or 0x2600 <= code <= 0x27BF or code in (0xFE0F, 0x20E3)


def analyze_hidden(path: str, text: str, context: Context) -> list[Finding]:
    """One finding per kind of hidden character, at its first occurrence."""
    rules = context.rules
    first: dict[str, int] = {}
    for found in _CANDIDATES.finditer(text):
        index, char = found.start(), found.group(0)
        code = ord(char)
        if 0xE0000 <= code <= 0xE007F:
            first.setdefault("hidden.unicode_tags", index)
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
