"""The registry's scanning policy, shared by publish (``analyze``) and ``rescan``.

On top of the scanner's own verdict, the registry fails a skill that uses a capability it does
not declare (a ``capability.undeclared_*`` finding): a skill may only do what its skills.json
says, because that declaration is what installers show and sandbox. The policy fails closed:
a scanner that raises yields a ``fail`` with a ``scanner.analyzer_error`` finding.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tank import __version__
from tank.core.errors import Location, Problem, Severity, ValidationError
from tank.core.permissions import Permissions
from tank.scanner import RuleSet, ScanResult, Verdict, load_rules, scan_files, verdict
from tank.scanner.model import BLOCKING_CATEGORIES

__all__ = [
    "UNDECLARED_PREFIX",
    "ScanFailed",
    "ScanOutcome",
    "blocks",
    "refusal",
    "scan",
    "scanner_id",
]

log = logging.getLogger("tank.server.scan")

UNDECLARED_PREFIX = "capability.undeclared"
Scanner = Callable[..., ScanResult]


class ScanFailed(ValidationError):
    """The scan of an upload failed: the registry refuses to publish it (422).

    ``subject`` names the refused ``@scope/name@version`` (for the audit log).
    """

    default_code = "scan_failed"
    subject = ""


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    """The registry's verdict on a skill's files, its findings as JSON, and who scanned."""

    verdict: str
    findings: list[dict[str, Any]] = field(default_factory=list)
    scanner: str = ""


def scanner_id(rules: RuleSet) -> str:
    """``tank <version> rules <digest>``: names the scanner and the exact rule set it ran."""
    shape = [
        [r.id, str(r.severity), str(r.confidence), r.category]
        for r in sorted(rules.rules.values(), key=lambda r: r.id)
    ]
    shape.append(sorted(p.pattern for rule in rules.patterns for p in rule.patterns))
    digest = hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:16]
    return f"tank {__version__} rules {digest}"


def blocks(finding: Mapping[str, Any]) -> bool:
    """True when ``finding`` (a finding's JSON) alone makes the registry's verdict ``fail``."""
    if str(finding.get("rule", "")).startswith(UNDECLARED_PREFIX):
        return True
    severity, category = finding.get("severity"), finding.get("category")
    if severity == "critical":
        return True
    return (
        category in BLOCKING_CATEGORIES
        and finding.get("confidence") == "high"
        and severity in ("critical", "high", "medium")
    )


def scan(
    files: Mapping[str, bytes],
    permissions: Permissions,
    *,
    timeout_s: float,
    rules: RuleSet | None = None,
    scanner: Scanner = scan_files,
) -> ScanOutcome:
    """Scan ``files`` against the declared ``permissions`` and apply the registry's policy."""
    ruleset = rules or load_rules()
    ident = scanner_id(ruleset)
    try:
        result = scanner(
            files, manifest_permissions=permissions, timeout_s=timeout_s, rules=ruleset
        )
    except Exception as error:  # fail closed: a broken scanner never lets a skill through
        log.exception("the scanner crashed")
        message = f"the scanner crashed: {type(error).__name__}: {error}"
        crash = {
            "rule": "scanner.analyzer_error",
            "category": "scanner",
            "severity": "critical",
            "confidence": "high",
            "file": "",
            "line": 1,
            "snippet": "",
            "message": message,
            "remediation": "report this to the registry administrator; the upload is refused",
        }
        return ScanOutcome(str(Verdict.FAIL), [crash], ident)
    findings = [f.as_dict() for f in result.findings]
    outcome = result.verdict
    if any(f.rule.startswith(UNDECLARED_PREFIX) for f in result.findings):
        outcome = Verdict.FAIL
    # The scanner's verdict is recomputed from its findings as a cross-check: never looser.
    if verdict(result.findings) is Verdict.FAIL:
        outcome = Verdict.FAIL
    return ScanOutcome(str(outcome), findings, ident)


def refusal(name: str, version: str, outcome: ScanOutcome) -> ScanFailed:
    """The 422 refusing ``name@version``: the count, the top finding, every finding listed."""
    findings = sorted(outcome.findings, key=lambda f: not blocks(f))
    blocking = [f for f in findings if blocks(f)]
    top = (blocking or findings or [{}])[0]
    line = top.get("line", 1)  # 0: no position (a timeout)
    where = f"{top.get('file') or '<archive>'}" + (f":{line}" if line else "")
    undeclared = any(str(f.get("rule", "")).startswith(UNDECLARED_PREFIX) for f in blocking)
    hint = (
        "declare every capability the code uses in skills.json permissions, or remove the use; "
        if undeclared
        else ""
    ) + "run `tank scan` on the folder and fix every blocking finding, then publish again"
    error = ScanFailed(
        f"{name}@{version} failed the security scan: {len(blocking)} blocking finding(s) of "
        f"{len(findings)}; top: {top.get('rule', '?')} at {where}: {top.get('message', '')}",
        hint=hint,
        problems=[_problem(f) for f in findings],
    )
    error.subject = f"{name}@{version}"
    return error


def _problem(finding: Mapping[str, Any]) -> Problem:
    return Problem(
        code=str(finding.get("rule", "scanner")),
        message=str(finding.get("message", "")),
        severity=Severity.ERROR if blocks(finding) else Severity.WARNING,
        # line 0 is the scanner's "no position" (a timeout): no line, rather than a made-up 1
        location=Location(
            str(finding.get("file") or "") or None, int(finding.get("line") or 0) or None
        ),
        hint=str(finding.get("remediation") or "") or None,
    )
