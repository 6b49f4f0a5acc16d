"""The pattern analyzer: every ``match: pattern`` rule whose kinds include the file's kind."""

from __future__ import annotations

import re

from tank.scanner.analyzers.base import Context, lead_in, line_at, line_text, section_framing
from tank.scanner.model import Finding, Severity
from tank.scanner.rules import PatternRule

__all__ = ["analyze_patterns", "construct_of", "framed_reference", "match_rule", "prose_before"]

#: Where a command starts: a statement separator, a code span's backtick, ``$(``.
_STATEMENT_START = re.compile(r"(?:;|&&|\|\||`|\$\(|\bthen\b|\bdo\b|(?<!\$)\{)\s*")

#: Kinds whose text the shell rules also read: agents paste markdown into shells, and
#: scripts hand strings to ``os.system``/``child_process``.
_ALSO = {
    "markdown": ("markdown", "shell", "any"),
    "python": ("python", "shell", "any"),
    "js": ("js", "shell", "any"),
    "shell": ("shell", "any"),
    # PowerShell has its own analyzer; the shell rules that read any command line (reverse
    # shells, credential paths) still apply to it.
    "powershell": ("powershell", "shell", "any"),
    "any": ("any", "shell"),
    # Detection rules quote attacks as the strings to look for: only rules about the file
    # itself (hidden characters, blobs) apply, not the command rules.
    "indicators": ("indicators",),
}
_MAX_PER_RULE = 5


def analyze_patterns(path: str, text: str, kind: str, context: Context) -> list[Finding]:
    """Findings of the pattern rules that apply to ``kind`` (see ``_ALSO``) over ``text``."""
    kinds = _ALSO.get(kind, ("any",))
    folded = text.casefold()
    findings: list[Finding] = []
    for rule in context.rules.patterns:
        if rule.kinds.isdisjoint(kinds):
            continue
        findings.extend(match_rule(rule, path, text, folded=folded, kind=kind))
    return findings


def match_rule(
    rule: PatternRule,
    path: str,
    text: str,
    line_offset: int = 0,
    folded: str | None = None,
    kind: str | None = None,
) -> list[Finding]:
    """Findings of one rule over ``text``: one per line, at most a few per file.

    ``unless`` patterns on the matched construct drop the match (a known-good use) and
    ``downgrade_if`` patterns on the prose before it lower it to ``low`` (a security guide
    quoting the attack as a warning): see :func:`construct_of` and :func:`prose_before`.
    Neither looks at text after the match, which an author can append to anything.
    ``folded`` (``text.casefold()``) lets patterns whose required words are absent be skipped;
    ``kind`` is the file's kind, for rules that downgrade only in some kinds (``downgrade_in``).
    """
    out: list[Finding] = []
    seen: set[int] = set()
    folded = text.casefold() if folded is None else folded
    needles = rule.needles or (None,) * len(rule.patterns)
    for pattern, required in zip(rule.patterns, needles, strict=True):
        if required is not None and not any(n in folded for n in required):
            continue
        for match in pattern.finditer(text):
            line = line_at(text, match.start())
            if line in seen:
                continue
            context_line = line_text(text, match.start())
            if any(u.search(construct_of(text, match)) for u in rule.unless):
                continue
            seen.add(line)
            lead = prose_before(text, match.start(), kind)
            quoted = (rule.downgrade_in is None or kind in rule.downgrade_in) and (
                any(d.search(lead + match.group(0)) for d in rule.downgrade_if)
                or (
                    bool(rule.downgrade_if)
                    and framed_reference(path, kind, text, match.start(), lead)
                )
            )
            severity = Severity.LOW if quoted else None
            message = rule.rule.title + (" (quoted as a warning)" if quoted else "")
            out.append(
                Finding.of(
                    rule.rule,
                    path,
                    line + line_offset,
                    match.group(0)
                    if "\n" in context_line or len(context_line) > 300
                    else context_line,
                    message,
                    severity=severity,
                )
            )
            if len(out) >= _MAX_PER_RULE:
                return out
    return out


def framed_reference(path: str, kind: str | None, text: str, offset: int, lead: str) -> bool:
    """A match in a reference document (markdown other than SKILL.md, which the agent
    follows) under a heading that frames its section as attacks ("# Attack patterns"), when
    no nearer prose orders it run (``lead_in`` then leaves the framing out)."""
    if kind != "markdown" or path.rsplit("/", 1)[-1].lower() == "skill.md":
        return False
    framing = section_framing(text, offset)
    return bool(framing) and lead.startswith(framing)


def construct_of(text: str, match: re.Match[str]) -> str:
    """The statement a match belongs to, from its start up to the end of the match: what an
    ``unless`` exception may look at. A trailing ``# comment`` or sentence is not part of it.
    """
    start = text.rfind("\n", 0, match.start()) + 1
    head = text[start : match.start()]
    cut = 0
    for found in _STATEMENT_START.finditer(head):
        cut = found.end()
    return head[cut:] + match.group(0)


def prose_before(text: str, offset: int, kind: str | None = None) -> str:
    """What may mark a match as a quoted warning: in markdown, the prose leading up to it
    (:func:`~tank.scanner.analyzers.base.lead_in`); elsewhere the start of its line (a
    quote before the match, as in ``PHRASES = ['ignore previous instructions']``). Text
    after the match never counts: an author can append anything to a command."""
    if kind == "markdown":
        return lead_in(text, offset)
    return text[text.rfind("\n", 0, offset) + 1 : offset]
