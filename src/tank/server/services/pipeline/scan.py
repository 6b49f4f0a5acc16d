"""The registry's scan, shared by publish (``analyze``) and ``rescan``: a thin user of
:mod:`tank.scanner.policy`, the one decision ``tank scan``, ``tank publish`` and ``tank install``
apply too (a skill that uses a capability it does not declare fails).

Fails closed: a scanner that raises yields a ``fail`` with a ``scanner.analyzer_error`` finding.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tank import __version__
from tank.core.errors import ValidationError
from tank.core.permissions import Permissions
from tank.scanner import RuleSet, ScanResult, Verdict, load_rules, policy, scan_files
from tank.scanner.policy import UNDECLARED_PREFIX

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
    """True when ``finding`` (a finding's JSON) alone makes the registry's verdict ``fail``
    (:func:`tank.scanner.policy.blocks`: a published skill always has a skills.json)."""
    return policy.blocks(finding, declared=True)


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
    # The one policy (tank scan applies the same): recomputed from the findings, never looser.
    decided = policy.apply(result, permissions)
    return ScanOutcome(str(decided.verdict), [f.as_dict() for f in decided.findings], ident)


def refusal(
    name: str, version: str, outcome: ScanOutcome, rules: RuleSet | None = None
) -> ScanFailed:
    """The 422 refusing ``name@version`` (:func:`tank.scanner.policy.refusal`: the words
    ``tank publish`` prints when its own scan stops before uploading)."""
    why = policy.refusal(f"{name}@{version}", outcome.findings, rules or load_rules())
    error = ScanFailed(why.message, hint=why.hint, problems=list(why.problems))
    error.subject = f"{name}@{version}"
    return error
