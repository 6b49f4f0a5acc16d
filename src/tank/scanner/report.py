"""Reporters: plain text for people, JSON for scripts, SARIF 2.1.0 for code-scanning UIs."""

from __future__ import annotations

from typing import Any

from tank.scanner.model import ScanResult, Severity
from tank.scanner.rules import RuleSet

__all__ = ["to_json", "to_sarif", "to_text"]

_SARIF_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}


def to_text(result: ScanResult, name: str = "skill") -> str:
    """``file:line: severity [rule] message`` per finding, its fix, then the verdict line."""
    lines = []
    for f in result.findings:
        # line 0: no position (a timeout); the file alone, or the scan as a whole
        where = f"{f.file}:{f.line}" if f.line else (f.file or "(scan)")
        lines.append(f"{where}: {f.severity} [{f.rule}] {f.message}")
        if f.snippet:
            lines.append(f"    {f.snippet}")
        lines.append(f"    fix: {f.remediation}")
    counts = {s: sum(f.severity is s for f in result.findings) for s in Severity}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "no findings"
    lines.append(f"{name}: {result.verdict} ({summary}; {result.files_scanned} files)")
    return "\n".join(lines) + "\n"


def to_json(result: ScanResult) -> dict[str, Any]:
    """The object ``tank scan --json`` prints: ``verdict``, ``findings`` and counts."""
    return result.as_dict()


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


def _score(severity: Severity) -> str:
    # GitHub code scanning reads "security-severity" as a CVSS-like number.
    return {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}[
        severity
    ]
