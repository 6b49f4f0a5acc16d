"""The pattern analyzer: every ``match: pattern`` rule whose kinds include the file's kind."""

from __future__ import annotations

from tank.scanner.analyzers.base import Context, line_at, line_text
from tank.scanner.model import Finding, Severity
from tank.scanner.rules import PatternRule

__all__ = ["analyze_patterns", "match_rule"]

#: Kinds whose text the shell rules also read: agents paste markdown into shells, and
#: scripts hand strings to ``os.system``/``child_process``.
_ALSO = {
    "markdown": ("markdown", "shell", "any"),
    "python": ("python", "shell", "any"),
    "js": ("js", "shell", "any"),
    "shell": ("shell", "any"),
    "any": ("any", "shell"),
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

    ``unless`` patterns on the matched line drop the match (a known-good use); ``downgrade_if``
    lowers it to ``low`` (the line quotes the attack as a warning, as security guides do).
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
            probe = context_line + "\n" + match.group(0)
            if any(u.search(probe) for u in rule.unless):
                continue
            seen.add(line)
            quoted = (rule.downgrade_in is None or kind in rule.downgrade_in) and any(
                d.search(context_line) for d in rule.downgrade_if
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
