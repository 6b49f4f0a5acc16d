"""``tank scan --explain RULE``: one rule as data, with its samples (pure)."""

from __future__ import annotations

import difflib
from typing import Any

from tank.core.errors import UsageError
from tank.scanner.rules import RuleSet

__all__ = ["explain", "explain_text", "rule_or_error"]


def rule_or_error(rules: RuleSet, rule_id: str) -> None:
    """Raise a :class:`UsageError` naming close ids when ``rule_id`` is not a rule."""
    if rule_id in rules.rules:
        return
    ids = sorted(rules.rules)
    close = difflib.get_close_matches(rule_id, ids, n=5, cutoff=0.5)
    prefix = rule_id.split(".", 1)[0]
    close += [i for i in ids if i.startswith(prefix + ".") and i not in close][: 5 - len(close)]
    hint = (
        f"did you mean {', '.join(close)}?"
        if close
        else "docs/rules.md lists every rule; ids look like shell.download_exec"
    )
    raise UsageError(f"no scanner rule is called {rule_id!r}", code="unknown_rule", hint=hint)


def explain(rules: RuleSet, rule_id: str) -> dict[str, Any]:
    """The rule ``rule_id`` as JSON: metadata, description, remediation and samples."""
    rule_or_error(rules, rule_id)
    rule = rules[rule_id]
    return {
        "id": rule.id,
        "title": rule.title,
        "category": rule.category,
        "severity": str(rule.severity),
        "confidence": str(rule.confidence),
        "description": rule.description,
        "remediation": rule.remediation,
        "source": rules.sources.get(rule_id, ""),
        "samples": {
            "malicious": [{"file": s.file, "text": s.text} for s in rules.malicious[rule_id]],
            "benign": [{"file": s.file, "text": s.text} for s in rules.benign[rule_id]],
        },
    }


def explain_text(rules: RuleSet, rule_id: str) -> str:
    """The rule for people: title, category, severity, why, the samples, how to fix."""
    data = explain(rules, rule_id)
    out = [
        f"{data['id']}: {data['title']}",
        f"  category {data['category']}, severity {data['severity']}, "
        f"confidence {data['confidence']} ({data['source']})",
        "",
        f"why it matters: {data['description']}",
        "",
    ]
    for label, heading in (("malicious", "raises it"), ("benign", "does not raise it")):
        for sample in data["samples"][label]:
            out.append(f"{label} sample ({heading}): {sample['file']}")
            out.extend(f"    {line}" for line in sample["text"].rstrip("\n").split("\n"))
        out.append("")
    out.append(f"how to fix: {data['remediation']}")
    return "\n".join(out) + "\n"
