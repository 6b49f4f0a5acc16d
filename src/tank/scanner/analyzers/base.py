"""What every analyzer shares: the scan context, file kinds and text segments."""

from __future__ import annotations

import ast
import bisect
import itertools
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from tank.scanner.model import Finding
from tank.scanner.rules import RuleSet

__all__ = [
    "Context",
    "Segment",
    "file_kind",
    "lead_in",
    "line_at",
    "line_offset",
    "line_text",
    "markdown_code",
    "section_framing",
]

_SHELL_EXT = (".sh", ".bash", ".zsh", ".ksh", ".command")
_POWERSHELL_EXT = (".ps1", ".psm1", ".psd1")
#: Detection rules (YARA, Sigma): strings that describe attacks, read by a matcher, never run.
_INDICATOR_EXT = (".yar", ".yara", ".sigma")
_JS_EXT = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx")
_SHEBANG = re.compile(r"^#!\s*(?:\S*/)?(?:env\s+(?:-\S+\s+)*)?([A-Za-z]\w*)")


@dataclass(frozen=True, slots=True)
class Context:
    """What an analyzer may consult besides its file: the rules, and a way to rescan text.

    ``rescan(path, text, depth)`` runs every text analyzer on decoded content; ``depth``
    counts decoding layers so that nested blobs stop at :data:`MAX_DEPTH`. ``sources`` are
    the skill's Python files (path → text): a module's imports of its siblings are followed;
    ``files`` are all the skill's files (path → bytes), for analyzers that follow imports.
    """

    rules: RuleSet
    rescan: Callable[[str, str, int], list[Finding]]
    depth: int = 0
    sources: Mapping[str, str] = field(default_factory=dict)
    files: Mapping[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of a file analysed as some kind, starting at ``line`` (1-based) of the file."""

    text: str
    line: int


def file_kind(path: str, text: str) -> str:
    """``markdown``, ``python``, ``shell``, ``powershell``, ``js``, ``indicators`` (YARA and
    Sigma rules: data about attacks) or ``any``, by extension then shebang."""
    lower = path.lower()
    if lower.endswith((".md", ".markdown", ".mdx")):
        return "markdown"
    if lower.endswith((".py", ".pyw")):
        return "python"
    if lower.endswith(_SHELL_EXT):
        return "shell"
    if lower.endswith(_POWERSHELL_EXT):
        return "powershell"
    if lower.endswith(_INDICATOR_EXT):
        return "indicators"
    if lower.endswith(_JS_EXT):
        return "js"
    found = _SHEBANG.match(text[:200])
    if found:
        interpreter = found.group(1)
        if interpreter.startswith("python"):
            return "python"
        if interpreter in ("sh", "bash", "zsh", "dash", "ksh"):
            return "shell"
        if interpreter == "pwsh":
            return "powershell"
        if interpreter in ("node", "deno", "bun"):
            return "js"
    return "any"


_KIND_SUFFIX = {"shell": ".sh", "python": ".py", "js": ".js", "powershell": ".ps1"}


def script_suffix(text: str) -> str | None:
    """The file suffix of a script held in a string, by its shebang (``#!/bin/sh`` → ``.sh``,
    as :func:`file_kind` reads it), or None when it names no interpreter we analyse."""
    return _KIND_SUFFIX.get(file_kind("", text)) if text.startswith("#!") else None


def line_at(text: str, offset: int) -> int:
    """The 1-based line number of ``offset`` in ``text``.

    Large files are indexed once (analyzers ask for many lines of the same text); counting
    newlines from the start on every call made a file with many matches quadratic.
    """
    if len(text) < 8192:
        return text.count("\n", 0, offset) + 1
    return bisect.bisect_left(_newlines(text), offset) + 1


@lru_cache(maxsize=8)
def _newlines(text: str) -> tuple[int, ...]:
    return tuple(m.start() for m in re.finditer("\n", text))


def line_offset(text: str, number: int) -> int:
    """The offset where 1-based line ``number`` of ``text`` starts (indexed once per text)."""
    if number <= 1:
        return 0
    newlines = _newlines(text)
    return newlines[number - 2] + 1 if number - 2 < len(newlines) else len(text)


def line_text(text: str, offset: int) -> str:
    """The whole line holding ``offset``."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start : end if end >= 0 else len(text)]


_FENCE = re.compile(
    r"^( {0,3})(`{3,}|~{3,})[ \t]*([\w+-]*)[^\n]*\n(.*?)^\1?\2[`~]*[ \t]*$", re.M | re.S
)
_INLINE = re.compile(r"(?<!`)`([^`\n]{3,})`(?!`)")
_SHELLISH = ("", "sh", "bash", "shell", "zsh", "console", "terminal", "powershell", "ps1", "cmd")


def markdown_code(text: str) -> Iterator[tuple[str, Segment]]:
    """The code of a markdown file: ``(language, Segment)`` for fenced blocks, then inline code.

    Fenced blocks keep their info-string language (lower case, ``""`` when absent); inline
    code spans are reported as ``"inline"``. Agents run what these say, so they are analysed
    as shell (or as the language the fence names).
    """
    fenced_spans = []
    for match in _FENCE.finditer(text):
        fenced_spans.append((match.start(), match.end()))
        yield match.group(3).lower(), Segment(match.group(4), line_at(text, match.start(4)))
    for match in _INLINE.finditer(text):
        if any(a <= match.start() < b for a, b in fenced_spans):
            continue
        yield "inline", Segment(match.group(1), line_at(text, match.start(1)))


def is_shellish(language: str) -> bool:
    """Whether a fenced block's language is one an agent would paste into a shell."""
    return language in _SHELLISH or language == "inline"


#: A list item or a table row: both are introduced by the sentence or heading above them.
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|\|)")
_LEAD_IN_LINES = 12
#: A wrapped sentence leading up to a command spans a line or two, not a whole page.
_PARAGRAPH_LINES = 3


def lead_in(text: str, offset: int) -> str:
    """The prose that leads up to ``offset``: the start of its line and the lines of its
    paragraph above it; for a list item, the sentence introducing the list ("Red flags to
    look for:"); for a line of a code block, the comments above it and the line before the
    fence. Where a guide says it is quoting an attack. Never text *after* ``offset``: an
    author can append "(never run anything else)" to any command. Frontmatter lines are
    each on their own (a ``name:`` is not a lead-in to the ``description:``).

    A section whose heading frames everything under it as attacks ("## Red flags", "###
    Malicious patterns": see :func:`section_framing`) leads in to each line of it, unless
    the nearer prose orders the line run.
    """
    start = text.rfind("\n", 0, offset) + 1
    here = text[start:offset]
    if text.startswith("---\n") and start < text.find("\n---", 3) + 1:
        return here
    near = _near_lead_in(text, start, here)
    framing = section_framing(text, offset)
    if framing and not _ORDERS_RUN.search(near):
        return framing + "\n" + near
    return near


def _introduces(line: str) -> bool:
    """Whether a line of prose ends by introducing what follows (``…as follows:``,
    ``**Never run these:**``)."""
    return line.rstrip().rstrip("*_").endswith(":")


def _near_lead_in(text: str, start: int, here: str) -> str:
    out = [here]
    previous = _lines_before(text, start)
    if _LIST_ITEM.match(here):
        for line in previous:
            if line.strip() and not _LIST_ITEM.match(line):
                if _introduces(line) or line.lstrip().startswith("#"):
                    out.append(line)
                break
        return "\n".join(reversed(out))
    if here.lstrip().startswith(">"):
        # a block quote is led in by the paragraph introducing it ("…are examples of
        # attacks; never act on them:"), above the quote's own lines
        rest = iter(line for line in previous if not line.lstrip().startswith(">"))
        line = next(rest, "")
        if not line.strip():
            line = next(rest, "")
        if _introduces(line):
            out.append(line)
            for line in itertools.islice(rest, _PARAGRAPH_LINES - 1):
                if not line.strip():
                    break
                out.append(line)
        return "\n".join(reversed(out))
    for count, line in enumerate(previous):
        stripped = line.strip()
        if count >= _PARAGRAPH_LINES:
            break
        if stripped.startswith(("```", "~~~")):
            out.append(next((text for text in previous if text.strip()), ""))
            break
        if not stripped or stripped == "---" or _LIST_ITEM.match(line):
            break
        out.append(line)
    return "\n".join(reversed(out))


#: Headings that frame a whole section as attacks to recognise, not steps to follow.
_ATTACK_HEADING = re.compile(
    r"\b(?:red[- ]flags?|attacks?|attackers?|malicious|malware|threats?|injections?"
    r"|indicators?\s+of\s+compromise|iocs?|warning\s+signs|suspicious|exploits?|anti-?patterns?|phishing"
    r"|what\s+(?:\w+\s+){0,3}looks?\s+like)\b",
    re.IGNORECASE,
)
#: Prose that orders the line after it run ("Run this first:"): no section heading excuses it.
_ORDERS_RUN = re.compile(
    r"(?:^|[.,:;!]\s+|\n)\s*(?:[-*+>]\s+|\d+[.)]\s+)?(?:(?:please|now|first|then|next|also|just)"
    r",?\s+)?(?:run|execute|paste|install|type|enter)\s*(?:this|these|the\s+following|it\b|them"
    r"|the\s+(?:command|script|one-liner|line)|:|`|$)",
    re.IGNORECASE | re.MULTILINE,
)
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@lru_cache(maxsize=8)
def _headings(text: str) -> tuple[tuple[int, int, str], ...]:
    """``(offset, level, title)`` of every ATX heading of markdown ``text``, outside fences
    (a ``# comment`` in a shell block is no heading). Indexed once per text."""
    out = []
    fence = ""
    offset = 0
    for line in text.split("\n"):
        opens = _FENCE_LINE.match(line)
        if fence:
            if opens and opens.group(1)[0] == fence[0] and len(opens.group(1)) >= len(fence):
                fence = ""
        elif opens:
            fence = opens.group(1)
        else:
            found = _HEADING.match(line)
            if found:
                out.append((offset, len(found.group(1)), found.group(2)))
        offset += len(line) + 1
    return tuple(out)


def section_framing(text: str, offset: int) -> str:
    """The headings of the sections holding ``offset`` (the nearest and its parents) that
    frame their content as attacks ("## Red flags", "### What malicious skills look like"),
    joined by newlines; empty when none does. A heading stands *before* what it frames: text
    an author appends after a command is never part of it."""
    headings = _headings(text)
    at = bisect.bisect_right([h[0] for h in headings], offset) - 1
    framing: list[str] = []
    level = 7
    while at >= 0 and level > 1:
        _, depth, title = headings[at]
        if depth < level:
            level = depth
            if _ATTACK_HEADING.search(title):
                framing.append(title)
        at -= 1
    return "\n".join(reversed(framing))


def _lines_before(text: str, start: int) -> Iterator[str]:
    """The lines above the one starting at ``start``, nearest first (at most a dozen)."""
    end = start - 1
    for _ in range(_LEAD_IN_LINES):
        if end < 0:
            return
        begin = text.rfind("\n", 0, end) + 1
        yield text[begin:end]
        end = begin - 1


_AST_LOCK = threading.Lock()


def parse_python(text: str, filename: str = "<skill>") -> ast.Module:
    """``ast.parse``, one thread at a time.

    CPython 3.11 (before its fix of gh-106905) keeps the AST builder's recursion counter per
    interpreter, not per thread: two threads parsing at once can raise ``SystemError: AST
    constructor recursion depth mismatch`` in either of them. Scans run in worker threads
    (the registry scans uploads concurrently), so every scanner parse goes through here.
    """
    with _AST_LOCK:
        return ast.parse(text, filename=filename)
