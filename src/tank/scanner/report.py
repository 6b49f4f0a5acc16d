"""Reporters: plain text for people, JSON for scripts, SARIF 2.1.0 for code-scanning UIs."""

from __future__ import annotations

from typing import Any

from tank.scanner.model import Finding, ScanResult, Severity, snippet_of
from tank.scanner.rules import RuleSet

__all__ = ["finding_text", "to_json", "to_sarif", "to_text"]

_SARIF_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}


def to_text(result: ScanResult, name: str = "skill", rules: RuleSet | None = None) -> str:
    """Per finding: ``file:line: severity [rule] message``, the snippet, a flow's evidence
    (source, steps, sink with their lines), why it matters (the rule's description, when
    ``rules`` are given) and how to fix it; then the verdict line."""
    lines = []
    for f in result.findings:
        lines.extend(finding_text(f, rules))
    counts = {s: sum(f.severity is s for f in result.findings) for s in Severity}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "no findings"
    lines.append(f"{name}: {result.verdict} ({summary}; {result.files_scanned} files)")
    return "\n".join(lines) + "\n"


def finding_text(f: Finding, rules: RuleSet | None = None) -> list[str]:
    """The lines of one finding: where, what, evidence, why it matters, how to fix."""
    # line 0: no position (a timeout); the file alone, or the scan as a whole
    where = f"{f.file}:{f.line}" if f.line else (f.file or "(scan)")
    lines = [f"{where}: {f.severity} [{f.rule}] {f.message}"]
    if f.snippet and f.snippet != snippet_of(f.message):
        lines.append(f"    {f.snippet}")
    for step in f.evidence:
        at = f"{step.file}:{step.line}" if step.line else step.file
        lines.append(f"    {step.role + ':':7} {at}: {snippet_of(step.what)}")
    rule = rules.rules.get(f.rule) if rules is not None else None
    if rule is not None:
        lines.append(f"    why: {rule.description}")
    lines.append(f"    fix: {f.remediation}")
    return lines


def to_json(result: ScanResult, rules: RuleSet | None = None) -> dict[str, Any]:
    """The object ``tank scan --json`` prints: ``verdict``, ``findings`` (each with its
    ``evidence``, and its rule's ``description`` when ``rules`` are given) and counts."""
    data = result.as_dict()
    if rules is not None:
        for item in data["findings"]:  # type: ignore[attr-defined]
            rule = rules.rules.get(str(item["rule"]))
            item["description"] = rule.description if rule is not None else ""
    return data


def to_sarif(result: ScanResult, rules: RuleSet, version: str = "0") -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run: the rules that fired, and one result per finding."""
    fired = sorted({f.rule for f in result.findings})
    index = {rule_id: n for n, rule_id in enumerate(fired)}
    descriptors = []
    for rule_id in fired:
        rule = rules.rules.get(rule_id)
        if rule is None:
            continue
        descriptors.append(
            {
                "id": rule.id,
                "name": rule.id.replace(".", "_"),
                "shortDescription": {"text": rule.title},
                "fullDescription": {"text": rule.description},
                "help": {"text": rule.remediation},
                "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
                "properties": {
                    "category": rule.category,
                    "confidence": str(rule.confidence),
                    "security-severity": _score(rule.severity),
                },
            }
        )
    results = [
        {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f"{f.message}. Fix: {f.remediation}"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.file or "."},
                        "region": {"startLine": max(f.line, 1), "snippet": {"text": f.snippet}},
                    }
                }
            ],
            "properties": {"severity": str(f.severity), "category": f.category},
            **({"relatedLocations": _related(f)} if f.evidence else {}),
        }
        for f in result.findings
    ]
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "tank-scanner",
                        "version": version,
                        "informationUri": "https://github.com/tankpkg/tank",
                        "rules": descriptors,
                    }
                },
                "results": results,
                "properties": {"verdict": str(result.verdict)},
            }
        ],
    }


def _related(f: Finding) -> list[dict[str, Any]]:
    """A flow's evidence as SARIF related locations: ``source: …``, ``sink: …``."""
    return [
        {
            "id": n,
            "message": {"text": f"{e.role}: {e.what}"},
            "physicalLocation": {
                "artifactLocation": {"uri": e.file or "."},
                "region": {"startLine": max(e.line, 1)},
            },
        }
        for n, e in enumerate(f.evidence)
    ]


def _score(severity: Severity) -> str:
    # GitHub code scanning reads "security-severity" as a CVSS-like number.
    return {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}[
        severity
    ]
