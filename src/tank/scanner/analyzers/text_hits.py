"""What the prose analyzers found, and how it becomes findings (severity in company).

:mod:`.text` (injection) and :mod:`.lures` yield :class:`Hit` values for one file;
:func:`report` turns them into findings together, so that two different kinds of trouble in one
file (a download *and* "do not ask the user") make each other critical.
"""

from __future__ import annotations

from dataclasses import dataclass

from tank.scanner.analyzers.base import Context
from tank.scanner.analyzers.prose import Block, quoted_example
from tank.scanner.model import Finding, Severity

__all__ = ["MAX_HITS_PER_RULE", "Hit", "in_code", "report"]

#: Hits kept per rule and file: enough to show the pattern, and a file made of ten thousand
#: list items costs bounded work once every rule has its share.
MAX_HITS_PER_RULE = 5

#: Rules that are critical by themselves (the others become critical in company).
_CRITICAL_ALONE = frozenset({"markdown.prompt_injection", "text.secret_request"})


@dataclass(frozen=True, slots=True)
class Hit:
    """One construct found in a block: its rule, offset in the block, and what it is."""

    rule: str
    block: Block
    start: int
    end: int
    what: str
    #: Critical by itself (e.g. agent settings written *with* permissions granted).
    critical: bool = False
    #: The severity before company is considered (None: the rule's).
    severity: Severity | None = None


def report(
    path: str,
    hits: list[Hit],
    context: Context,
    hidden: frozenset[int] = frozenset(),
    *,
    from_code: bool = False,
) -> list[Finding]:
    """Findings for ``hits``. A quoted example is low. Two different live kinds of hit of high
    severity or worse make each other critical; a medium one next to them becomes high.
    A hit on a line in ``hidden`` (words disguised with invisible characters, see
    :func:`.prose.hidden_lines`) is critical, quoted or not: nobody hides an example.
    ``from_code``: the hits are in comments or strings of code or data addressed to the agent
    (a config file's ``"_note": "AI assistants: …"``), where nobody reviewing SKILL.md looks:
    critical too."""
    rules = context.rules
    lines = [h.block.line + h.block.text.count("\n", 0, h.start) for h in hits]
    concealed = [line in hidden for line in lines]
    quoted = [
        quoted_example(h.block, h.start, h.end) and not c
        for h, c in zip(hits, concealed, strict=True)
    ]
    base = [h.severity or rules[h.rule].severity for h in hits]
    strong = {
        h.rule
        for h, q, b in zip(hits, quoted, base, strict=True)
        if not q and b.rank <= Severity.HIGH.rank
    }
    out: list[Finding] = []
    for hit, is_quoted, own, line, is_hidden in zip(
        hits, quoted, base, lines, concealed, strict=True
    ):
        rule = rules[hit.rule]
        planted = from_code and not is_quoted
        severity = (
            Severity.CRITICAL if is_hidden or planted else _severity(hit, own, is_quoted, strong)
        )
        snippet = hit.block.text[hit.start : hit.start + 160].split("\n", 1)[0]
        note = " (quoted as an example)" if is_quoted else ""
        note += " (hidden from readers with invisible characters)" if is_hidden else ""
        note += " (addressed to the agent from code or data)" if planted else ""
        message = f"{rule.title}: {hit.what}{note}"
        out.append(Finding.of(rule, path, line, snippet, message, severity=severity))
    return out


def _severity(hit: Hit, own: Severity, quoted: bool, strong: set[str]) -> Severity:
    if quoted:
        return Severity.LOW
    if hit.critical or hit.rule in _CRITICAL_ALONE:
        return Severity.CRITICAL
    if own.rank <= Severity.HIGH.rank and len(strong) >= 2:
        return Severity.CRITICAL
    if own is Severity.MEDIUM and strong - {hit.rule}:
        return Severity.HIGH
    return own


def in_code(text: str, offset: int) -> bool:
    """Whether ``offset`` is inside an inline code span (a command, read by the shell rules)."""
    return text.count("`", text.rfind("\n", 0, offset) + 1, offset) % 2 == 1
