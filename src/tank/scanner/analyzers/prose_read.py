"""The blocks of text the agent reads in a skill's file: all of a prose file (and, in
SKILL.md, every frontmatter value as the agent reads it), or in code and data only what
speaks to the agent: comments and strings addressed to it ("AI assistant: …")."""

from __future__ import annotations

import re

from tank.core.frontmatter import MAX_FRONTMATTER_BYTES, read_frontmatter
from tank.scanner.analyzers.prose import (
    MAX_PROSE,
    PROSE_EXTENSIONS,
    Block,
    blocks,
    normalise,
    vocabulary,
)

__all__ = ["agent_comments", "is_prose", "prose_blocks"]


#: A comment: ``#``, ``//`` (not the one in ``https://``), ``/*``, `` * `` or ``<!--``.
_COMMENT = re.compile(r"(?:#|(?<![:\w])//|/\*|^\s*\*|<!--)\s*(?P<body>[^\n]{0,400})")
#: Longer lines are minified code: a comment there is not written for anyone to read.
_MAX_CODE_LINE = 1000


#: A string literal long enough to say something (an error message, a config note); a
#: doubled quote inside is an escaped one (a CSV cell, SQL), not the end of the string.
_STRING_LITERAL = re.compile(
    r"\"((?:[^\"\\\n]|\\.|\"\"){12,2000})\"|'((?:[^'\\\n]|\\.|''){12,2000})'"
)
#: Lines after an addressed string whose strings continue its sentence (``'…' +``).
_STRING_FOLLOW = 3


def agent_comments(text: str) -> list[Block]:
    """Comments in code, and strings in code and data (an error message the script prints,
    a ``"_note"`` in a config file), that speak to the agent ("AI assistant: …", "Claude,
    …"), as blocks; an addressed string takes along the strings of the next lines, which
    continue it (``'… paste the output of ' +``)."""
    addressed = vocabulary()["agent_address"]
    out = []
    offset = 0
    lines = text[:MAX_PROSE].split("\n")
    for number, line in enumerate(lines, 1):
        found = _COMMENT.search(line) if len(line) <= _MAX_CODE_LINE else None
        if found and addressed.search(found.group("body")):
            out.append(Block(found.group("body"), offset + found.start("body"), number, "", ""))
        elif len(line) <= _MAX_CODE_LINE:
            for literal in _STRING_LITERAL.finditer(line):
                body = literal.group(1) or literal.group(2) or ""
                if addressed.search(body):
                    rest = lines[number : number + _STRING_FOLLOW]
                    more = [
                        m.group(1) or m.group(2) for r in rest for m in _STRING_LITERAL.finditer(r)
                    ]
                    out.append(
                        Block(" ".join([body, *more]), offset + literal.start(), number, "", "")
                    )
                    break
        offset += len(line) + 1
    return out


def is_prose(path: str) -> bool:
    """Whether ``path`` is read by the agent as text (markdown, plain text, rule files)."""
    return path.lower().endswith(PROSE_EXTENSIONS)


def prose_blocks(path: str, text: str) -> list[Block]:
    """The blocks the agent reads in ``path``: all of a prose file, or the comments of code
    that are addressed to the agent."""
    norm = normalise(text)
    if not is_prose(path):
        return agent_comments(norm)
    found = blocks(norm)
    if path.rsplit("/", 1)[-1].lower() == "skill.md" and norm.startswith("---"):
        found += _frontmatter_values(text, norm)
    return found


def _frontmatter_values(text: str, norm: str) -> list[Block]:
    """Frontmatter strings that do not appear as written (YAML escapes such as ``\\u0069``,
    quoted or folded scalars), decoded, one block at each key's line: the agent reads the
    value, not its spelling."""
    matter, _ = read_frontmatter(text[:MAX_FRONTMATTER_BYTES], lenient=True)
    out = []
    for key, value in matter.values.items():
        for string in _strings(value, 200):
            decoded = normalise(string)
            if decoded.strip() and decoded not in norm:
                line = matter.lines.get(key, 1)
                out.append(Block(decoded, 0, line, "frontmatter", ""))
    return out


def _strings(value: object, budget: int) -> list[str]:
    """The strings inside a YAML value (at most ``budget`` of them)."""
    if isinstance(value, str):
        return [value]
    items: list[object] = []
    if isinstance(value, dict):
        items = list(value.values())
    elif isinstance(value, list):
        items = list(value)
    out: list[str] = []
    for item in items:
        if len(out) >= budget:
            break
        out += _strings(item, budget - len(out))
    return out
