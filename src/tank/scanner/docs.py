"""Generate docs/rules.md from the rule files: ``python -m tank.scanner.docs > docs/rules.md``."""

from __future__ import annotations

import sys

from tank.scanner.rules import RuleSet, load_rules

__all__ = ["rules_markdown"]


def rules_markdown(rules: RuleSet) -> str:
    """The rule reference: a summary table, then one section per rule."""
    out = [
        "# Scanner rules",
        "",
        "Generated from `src/tank/scanner/rules/*.yaml` by `python -m tank.scanner.docs`;",
        "do not edit by hand. Verdict: `fail` on any critical finding or a high-confidence",
        "`malware`/`injection` finding of medium severity or worse; `flagged` on any high;",
        "`pass_with_notes` on medium or low; `pass` otherwise. A skill with a skills.json also",
        "fails on any `capability.undeclared_*` finding (`tank.scanner.policy`: the one decision",
        "`tank scan`, `tank publish`, the registry and `tank install` apply).",
        "`tank scan --explain RULE` prints one rule with its samples.",
        "",
        "| id | severity | confidence | category | title |",
        "| --- | --- | --- | --- | --- |",
    ]
    ordered = sorted(rules.rules.values(), key=lambda r: r.id)
    out += [
        f"| `{r.id}` | {r.severity} | {r.confidence} | {r.category} | {r.title} |" for r in ordered
    ]
    for rule in ordered:
        out += [
            "",
            f"## `{rule.id}`",
            "",
            f"**{rule.title}** — {rule.severity}, {rule.confidence} confidence, {rule.category}"
            f" (`{rules.sources[rule.id]}`).",
            "",
            rule.description,
            "",
            f"Fix: {rule.remediation}",
        ]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(rules_markdown(load_rules()))
