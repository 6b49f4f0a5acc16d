"""The one decision: from a scan's findings and the skill's declared permissions, the verdict
that every path applies (``tank scan``, ``tank publish`` before uploading, the registry at
publish and rescan, and ``tank install`` of a skill from disk).

On top of the findings' own verdict (:func:`tank.scanner.model.verdict`), a skill with a
skills.json fails when it uses a capability it does not declare (``capability.undeclared_*``):
the declaration is what installers show and the sandbox enforces, so a skill may only do what
it says. A skill without skills.json (``declared`` is None) is judged leniently: its undeclared
uses are notes, since it declares nothing at all. Pure: no I/O, no rule loading.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from tank.core.errors import Location, Problem, Severity
from tank.core.permissions import Permissions
from tank.scanner.model import BLOCKING_CATEGORIES, Finding, ScanResult, Verdict, verdict
from tank.scanner.rules import RuleSet

__all__ = [
    "UNDECLARED_PREFIX",
    "Refusal",
    "apply",
    "blocking",
    "blocks",
    "decide",
    "refusal",
    "worst",
]

UNDECLARED_PREFIX = "capability.undeclared"
_ORDER = (Verdict.PASS, Verdict.PASS_WITH_NOTES, Verdict.FLAGGED, Verdict.FAIL)


def worst(*verdicts: Verdict) -> Verdict:
    """The strictest of ``verdicts`` (``pass`` when none)."""
    return max(verdicts, key=_ORDER.index, default=Verdict.PASS)


def blocks(finding: Mapping[str, Any], *, declared: bool = True) -> bool:
    """True when ``finding`` (a finding's JSON) alone makes the verdict ``fail``.

    ``declared`` says whether the skill has a skills.json: without one, an undeclared
    capability is a note, not a refusal.
    """
    if declared and str(finding.get("rule", "")).startswith(UNDECLARED_PREFIX):
        return True
    severity, category = finding.get("severity"), finding.get("category")
    if severity == "critical":
        return True
    return (
        category in BLOCKING_CATEGORIES
        and finding.get("confidence") == "high"
        and severity in ("critical", "high", "medium")
    )


def blocking(findings: Iterable[Finding], *, declared: bool = True) -> list[Finding]:
    """The findings that alone fail the skill, in their order."""
    return [f for f in findings if blocks(f.as_dict(), declared=declared)]


def decide(findings: Iterable[Finding], declared: Permissions | None) -> Verdict:
    """The verdict of ``findings`` for a skill declaring ``declared`` (None: no skills.json)."""
    found = list(findings)
    outcome = verdict(found)
    if declared is not None and any(f.rule.startswith(UNDECLARED_PREFIX) for f in found):
        outcome = Verdict.FAIL
    return outcome


def apply(result: ScanResult, declared: Permissions | None) -> ScanResult:
    """``result`` with the policy's verdict: never looser than the verdict it already has."""
    return replace(result, verdict=worst(result.verdict, decide(result.findings, declared)))


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a skill is refused, in the words every path prints: message, hint, one problem
    per finding (blocking ones as errors). The registry sends it as its 422 body; ``tank
    publish`` and ``tank install`` raise it before anything is uploaded or installed."""

    message: str
    hint: str
    problems: tuple[Problem, ...]


def refusal(
    subject: str, findings: Iterable[Mapping[str, Any]], rules: RuleSet | None = None
) -> Refusal:
    """The refusal of ``subject`` (``name@version``) by its findings' JSON: the count, the top
    blocking finding, every finding listed (blocking first), each with its flow's evidence,
    how to fix it and, given ``rules``, why it matters."""
    ordered = sorted(findings, key=lambda f: not blocks(f))
    stopping = [f for f in ordered if blocks(f)]
    top = (stopping or ordered or [{}])[0]
    line = top.get("line", 1)  # 0: no position (a timeout)
    where = f"{top.get('file') or '<archive>'}" + (f":{line}" if line else "")
    undeclared = any(str(f.get("rule", "")).startswith(UNDECLARED_PREFIX) for f in stopping)
    hint = (
        "declare every capability the code uses in skills.json permissions, or remove the use; "
        if undeclared
        else ""
    ) + "run `tank scan` on the folder and fix every blocking finding, then publish again"
    return Refusal(
        f"{subject} failed the security scan: {len(stopping)} blocking finding(s) of "
        f"{len(ordered)}; top: {top.get('rule', '?')} at {where}: {top.get('message', '')}",
        hint,
        tuple(_problem(f, rules) for f in ordered),
    )


def _problem(finding: Mapping[str, Any], rules: RuleSet | None) -> Problem:
    rule = rules.rules.get(str(finding.get("rule", ""))) if rules is not None else None
    fix = str(finding.get("remediation") or "")
    if fix and fix[-1] not in ".!?":
        fix += "."
    why = f"Why it matters: {rule.description}" if rule is not None else ""
    return Problem(
        code=str(finding.get("rule", "scanner")),
        message=str(finding.get("message", "")) + _evidence(finding.get("evidence")),
        severity=Severity.ERROR if blocks(finding) else Severity.WARNING,
        # line 0 is the scanner's "no position" (a timeout): no line, rather than a made-up 1
        location=Location(
            str(finding.get("file") or "") or None, int(finding.get("line") or 0) or None
        ),
        hint=" ".join(t for t in (fix, why) if t) or None,
    )


def _evidence(raw: object) -> str:
    """`` (source a.py:3 reads ~/.ssh/id_rsa; sink a.py:9 POST to x.dev)``, or nothing."""
    if not isinstance(raw, list) or not raw:
        return ""
    steps = []
    for step in raw[:8]:
        if isinstance(step, Mapping):
            at = f"{step.get('file', '')}:{step.get('line', '')}".rstrip(":")
            steps.append(f"{step.get('role', 'step')} {at} {step.get('what', '')}".strip())
    return f" ({'; '.join(steps)})" if steps else ""
