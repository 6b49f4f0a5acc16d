"""The scanner: analyzers, rules as data, verdicts and reporters (imports only ``tank.core``).

Use :func:`scan_folder` or :func:`scan_files`; rules load on the first scan (or by an explicit
:func:`load_rules`), never at import.
"""

from __future__ import annotations

from tank.scanner.engine import scan_files, scan_folder
from tank.scanner.model import (
    Confidence,
    Evidence,
    Finding,
    Rule,
    ScanResult,
    Severity,
    Verdict,
    verdict,
)
from tank.scanner.rules import RuleError, RuleSet, load_rules

__all__ = [
    "Confidence",
    "Evidence",
    "Finding",
    "Rule",
    "RuleError",
    "RuleSet",
    "ScanResult",
    "Severity",
    "Verdict",
    "load_rules",
    "scan_files",
    "scan_folder",
    "verdict",
]
