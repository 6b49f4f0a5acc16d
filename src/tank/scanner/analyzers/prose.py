"""Reading prose the way the agent reads it: normalised, cut into blocks, quotes told apart.

Every text an agent reads (SKILL.md with its frontmatter, other markdown and text files, HTML
comments, comments in code addressed to the agent) is analysed by :mod:`.text` and
:mod:`.lures`. This module gives them three things:

* :func:`normalise` — NFKC, invisible characters (zero-width, bidi, Unicode tags) removed and
  Latin look-alike letters (Cyrillic ``е``, Greek ``ο``) folded in words that mix scripts, one
  line at a time so line numbers stay true. :mod:`.hidden` reports the invisible characters.
* :func:`blocks` — paragraphs, list items, table rows and quote lines, each with its line:
  the unit in which a verb and its object are looked for together.
* :func:`quoted_example` — whether a span is *quoted* (in quotes, backticks or a ``>``
  quotation) *and* framed as an example or a warning (by its own sentence outside the quote,
  the lead-in before it or its section heading). Security guides quote attacks that way. The
  test is on the quoted construct itself: words appended after a live instruction do not
  make it a quotation.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from tank.core.frontmatter import safe_load
from tank.scanner.prefilter import required_literals

__all__ = [
    "PROSE_EXTENSIONS",
    "Block",
    "blocks",
    "hidden_lines",
    "imperative",
    "negated",
    "normalise",
    "quoted_example",
    "vocabulary",
]

#: Files an agent reads as instructions or reference, besides markdown.
PROSE_EXTENSIONS = (".md", ".markdown", ".mdx", ".mdc", ".txt", ".rst", ".text")
#: Longest text analysed as prose (bounded work); the rest is not read as instructions.
MAX_PROSE = 512 * 1024
#: Blocks longer than this are read in overlapping pieces (bounded regex work per piece).
_MAX_BLOCK = 2000
_OVERLAP = 300

_INVISIBLE = re.compile(
    "[\u200b\u200c\u200d\u2060-\u2064\u180e\ufeff\u202a-\u202e\u2066-\u2069\u200e\u200f"
    "\u061c\U000e0000-\U000e007f]"
)
#: Cyrillic and Greek letters that look like Latin ones (folded only in mixed-script words).
_HOMOGLYPHS = str.maketrans(
    "аеорсухіјѕԁһӏԛԝАВЕКМНОРСТХІЈЅԌΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοριυνκ",
    "aeopcyxijsdhlqwABEKMHOPCTXIJSGABEZHIKMNOPTYXaopiuvk",
)
_MIXED = re.compile(r"\w*[A-Za-z]\w*")


def _fold_word(match: re.Match[str]) -> str:
    word = match.group(0)
    return word.translate(_HOMOGLYPHS) if not word.isascii() else word


#: A right-to-left override and the text it reverses on screen (up to its pop or the line end).
_OVERRIDE = re.compile("\u202e([^\u202c\u2069]*)(?:[\u202c\u2069]|$)")
#: Invisible characters between two letters: words split so that readers and filters miss them.
_SPLITTING = re.compile("\\w[\u200b\u200c\u200d\u2060-\u2064\u180e\ufeff\u00ad]+(?=\\w)")
#: Unicode tag characters outside a flag emoji (🏴 followed by tags is a subdivision flag).
_TAGS = re.compile("(?<![\U0001f3f4\U000e0020-\U000e007f])[\U000e0020-\U000e007e]{4,}")


def _both_orders(line: str) -> str:
    """A line with a right-to-left override, read both ways: as stored (what the model
    reads) and as displayed (reversed: what a person reviewing the file sees), joined as two
    sentences. Either may carry the instruction (Trojan Source)."""
    if "\u202e" not in line:
        return line
    shown = _OVERRIDE.sub(lambda m: m.group(1)[::-1], line)
    return line + ". " + shown


def hidden_lines(text: str) -> frozenset[int]:
    """The 1-based lines of ``text`` whose words are hidden or disguised with invisible
    characters: zero-width characters splitting words (three or more times), Unicode tag
    characters outside a flag emoji, or a right-to-left override. An instruction on such a
    line was written so that a person reviewing the file would not read it."""
    out = set()
    for number, line in enumerate(text[:MAX_PROSE].split("\n"), 1):
        if line.isascii():
            continue
        if (
            "\u202e" in line
            or "\u202d" in line
            or len(_SPLITTING.findall(line)) >= 3
            or _TAGS.search(line)
        ):
            out.add(number)
    return frozenset(out)


def normalise(text: str) -> str:
    """``text`` as the model reads it: NFKC, no invisible characters, look-alikes folded,
    a right-to-left override read both ways (:func:`_both_orders`).

    Works line by line and keeps the number of lines, so a line found in the result is the
    same line of the file.
    """
    out = []
    for raw in text[:MAX_PROSE].split("\n"):
        line = _INVISIBLE.sub("", unicodedata.normalize("NFKC", _both_orders(raw)))
        line = line.replace("\n", " ")
        out.append(_MIXED.sub(_fold_word, line) if not line.isascii() else line)
    return "\n".join(out)


@dataclass(frozen=True, slots=True)
class Block:
    """A unit of prose: a paragraph, list item, table row or quote line, at ``line``.

    ``start`` is its offset in the normalised text; ``heading`` the headings above it (the
    nearest and its parents); ``lead`` the paragraph that opened it (for a list item, table
    row or quotation: the text before the list, and the item before this one).
    """

    text: str
    start: int
    line: int
    heading: str
    lead: str
    fenced: bool = False
    #: A fenced block in a programming language: code, read by the code analyzers, not prose.
    code: bool = False


def _same_run(current: list[str], line: str) -> bool:
    """Whether ``line`` continues a run of list items, table rows or quote lines begun by
    ``current``: read together (one block, each item still its own clause), a list of ten
    thousand items costs a few hundred blocks."""
    if not current or len("\n".join(current)) > _MAX_BLOCK:
        return False
    kind = _RUN.match(current[0])
    here = _RUN.match(line)
    return bool(kind and here and kind.lastgroup == here.lastgroup)


_RUN = re.compile(r"^\s{0,3}(?:(?P<item>[-*+]\s|\d{1,3}[.)]\s)|(?P<row>\|)|(?P<quote>>))")
_ITEM = re.compile(r"^\s{0,3}(?:[-*+]\s|\d{1,3}[.)]\s|\||>)")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})\s*([\w+-]*)")
#: Fence languages whose content is prose the agent reads (any other language is code).
_PROSE_FENCES = frozenset({"", "text", "txt", "markdown", "md", "prompt", "plain", "plaintext"})
_BREAK = re.compile(r"^\s{0,3}(?:[-*+]\s|\d{1,3}[.)]\s|#{1,6}\s|\||>|<!--|---|```|~~~)")


def blocks(text: str) -> list[Block]:
    """The blocks of normalised ``text``, in order (each at most a couple of thousand chars)."""
    out: list[Block] = []
    path: list[str] = []
    lead = ""
    current: list[str] = []
    start = line_no = offset = 0

    def close(fenced: bool = False, code: bool = False) -> None:
        nonlocal current, lead
        if current:
            body = "\n".join(current)
            for at in range(0, len(body), _MAX_BLOCK - _OVERLAP):  # long blocks in pieces
                piece = body[at : at + _MAX_BLOCK]
                line = line_no + body.count("\n", 0, at)
                out.append(Block(piece, start + at, line, " / ".join(path), lead, fenced, code))
                if at + _MAX_BLOCK >= len(body):
                    break
            if _ITEM.match(body) is None:  # an item's lead stays the text that opened the list
                lead = body[-_MAX_BLOCK:]
            elif not lead.endswith(body[-200:]):
                lead = (lead[-_MAX_BLOCK:] + "\n" + body[-400:])[-_MAX_BLOCK:]
        current = []

    fence = language = ""
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        opens = _FENCE.match(line)
        if fence:  # inside a fenced block: one block, no headings
            current.append(line)
            if opens and opens.group(1)[0] == fence[0] and len(opens.group(1)) >= len(fence):
                close(fenced=True, code=language not in _PROSE_FENCES)
                fence = ""
            offset += len(line) + 1
            continue
        if (
            not stripped
            or line.startswith("<")
            or (_BREAK.match(line) and not _same_run(current, line))
        ):
            close()
        if opens:
            fence, language = opens.group(1), opens.group(2).lower()
        if stripped.startswith("#") and _BREAK.match(line):
            level = len(stripped) - len(stripped.lstrip("#"))
            path[level - 1 :] = [stripped.lstrip("#").strip()]  # the heading and its parents
            lead = ""
        if stripped:
            if not current:
                start, line_no = offset, number
            current.append(line)
        offset += len(line) + 1
    close()
    return out


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, re.Pattern[str]]:
    """The word classes of ``data/prose.yaml``, each compiled into one case-insensitive regex."""
    raw = safe_load((resources.files("tank.scanner") / "data" / "prose.yaml").read_text("utf-8"))
    if not isinstance(raw, dict):  # pragma: no cover - shipped data, checked by tests
        raise ValueError("data/prose.yaml: expected a mapping of word classes")
    return {
        str(name): re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
        for name, patterns in raw.items()
    }


@lru_cache(maxsize=1)
def _needles() -> dict[str, tuple[str, ...] | None]:
    return {name: required_literals(pattern) for name, pattern in vocabulary().items()}


def matches(name: str, text: str, pos: int = 0, endpos: int | None = None) -> list[re.Match[str]]:
    """Every match of word class ``name`` in ``text[pos:endpos]``. A big case-insensitive
    alternation costs about a microsecond a character in ``re``: when none of the words every
    match must contain is in the text (a C-speed ``in``), the regex is not run at all."""
    end = len(text) if endpos is None else endpos
    if not _may_match(name, text, pos, end):
        return []
    return list(vocabulary()[name].finditer(text, pos, end))


def first(name: str, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
    """The first match of word class ``name`` in ``text[pos:endpos]`` (see :func:`matches`)."""
    end = len(text) if endpos is None else endpos
    if not _may_match(name, text, pos, end):
        return None
    return vocabulary()[name].search(text, pos, end)


@lru_cache(maxsize=64)
def _folded(text: str) -> str:
    return text.casefold()


def _may_match(name: str, text: str, pos: int, end: int) -> bool:
    needles = _needles()[name]
    if needles is None:
        return True
    folded = _folded(text) if pos == 0 and end == len(text) else text[pos:end].casefold()
    return any(n in folded for n in needles)


#: Where a clause starts: after a sentence end, a dash, or an opening parenthesis ("(do not
#: ask - …)"); not after a closing one ("$(env | base64))` -- exfiltrate" is no order).
_CLAUSE_END = re.compile(
    r"[.!?;](?:\s|$)|\n\s*\n|[—–]\s|\s-\s|\(|\n(?=\s{0,3}(?:[-*+>|]|\d{1,3}[.)])\s?)"
)


def clause_before(text: str, offset: int) -> str:
    """The text of the clause holding ``offset``, from its start up to ``offset``."""
    ends = _clause_starts(text)
    at = bisect.bisect_right(ends, offset) - 1
    return text[ends[at] if at >= 0 else 0 : offset]


@lru_cache(maxsize=64)
def _clause_starts(text: str) -> tuple[int, ...]:
    """Where each clause of ``text`` starts (computed once per block, asked for every verb)."""
    return tuple(m.end() for m in _CLAUSE_END.finditer(text))


_LABEL = re.compile(r"^.*[:→,]")
_MARKERS = re.compile(r"[-*+>|_`#\[\]()\d.)!\"“”‘’']+")
_COORDINATED = re.compile(r"\b(?:and|then|also|afterwards)\s*$")


_DELEGATED = re.compile(
    r"\b(?:ask|tell|have|get|instruct|request|prompt)\s+(?:the\s+|your\s+)?"
    r"(?:user|developer|human|operator|them)\s+(?:to\s+)?$"
)


def imperative(text: str, offset: int) -> bool:
    """Whether the verb at ``offset`` is an order: first in its clause (after list markers,
    "please", "IMPORTANT:", "before any task," and the like), after a modal ("you must"), or
    joined to an earlier order ("read X and send it"). "Fallback models ignore system
    instructions" is not: a subject stands before the verb."""
    before = clause_before(text, offset).lower()[-200:]
    if _COORDINATED.search(before):
        return True
    # "ask the user to paste X": an order to the agent to have it done
    delegated = _DELEGATED.search(before)
    if delegated:
        before = before[: delegated.start()]
    label = _LABEL.match(before)
    if label and label.end() < 80:
        before = before[label.end() :]
    words = _MARKERS.sub(" ", before).split()
    lead = vocabulary()["lead_word"]
    return all(lead.fullmatch(word) for word in words)


def negated(text: str, offset: int) -> bool:
    """Whether the clause before ``offset`` negates it ("never send", "do not print")."""
    return bool(first("negation", clause_before(text, offset)[-60:]))


_QUOTES = re.compile(r"\"[^\"\n]{3,400}\"|“[^”\n]{3,400}”|(?<!\w)'[^'\n]{3,400}'(?!\w)|`[^`\n]+`")


def _quote_spans(block: Block) -> list[tuple[int, int]]:
    """Spans of ``block.text`` that are quoted: quotes, backticks, and the whole of a ``>``
    quotation, a table row (framed by its header row or heading) or a fenced code block."""
    spans = [(m.start(), m.end()) for m in _QUOTES.finditer(block.text)]
    if block.text.lstrip().startswith((">", "|")) or block.fenced:  # a quotation, table row, code
        spans.append((0, len(block.text)))
    return spans


def quoted_example(block: Block, start: int, end: int) -> bool:
    """Whether ``block.text[start:end]`` is a quoted construct framed as an example or warning.

    Quoted: inside one quote span. Framed: the block outside its quotes, its lead-in or its
    headings say "attack", "never run", "detects", "patterns"… (``warning`` in the data).
    """
    spans = _quote_spans(block)
    inside = [s for s in spans if s[0] <= start and end <= s[1]]
    if not inside:
        return False
    outside = block.text
    for a, b in sorted(spans, reverse=True):
        outside = outside[:a] + " " + outside[b:]
    warning = vocabulary()["warning"]
    return any(warning.search(framing) for framing in (outside, block.lead, block.heading))
