"""The scanner's values: rules, findings, verdicts and scan results (pure, frozen)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "BLOCKING_CATEGORIES",
    "Confidence",
    "Evidence",
    "Finding",
    "Rule",
    "ScanResult",
    "Severity",
    "Verdict",
    "snippet_of",
    "verdict",
]


class Severity(StrEnum):
    """How bad a finding is, worst first."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for critical … 4 for info: sorts findings worst first."""
        return list(Severity).index(self)


class Confidence(StrEnum):
    """How sure the rule is that a match means what it says."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Verdict(StrEnum):
    """The outcome of a scan. The registry refuses ``fail``; ``flagged`` needs a human look."""

    FAIL = "fail"
    FLAGGED = "flagged"
    PASS_WITH_NOTES = "pass_with_notes"  # noqa: S105 - a verdict, not a password
    PASS = "pass"  # noqa: S105


#: A high-confidence finding in these categories fails the scan even below critical: a skill
#: that is probably malware or a prompt injection must not be served while someone looks.
BLOCKING_CATEGORIES = frozenset({"malware", "injection"})


@dataclass(frozen=True, slots=True)
class Rule:
    """One detection, described as data (see ``src/tank/scanner/rules/*.yaml``)."""

    id: str
    title: str
    category: str
    severity: Severity
    confidence: Confidence
    description: str
    remediation: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """One step of a finding's proof: for a flow, where the data comes from and where it goes.

    ``role`` is ``source`` (e.g. a credential file read), ``sink`` (e.g. an HTTP post), or
    ``step`` (a place the value passes through); ``what`` says what it is in words.
    """

    role: str
    file: str
    line: int
    what: str

    def as_dict(self) -> dict[str, object]:
        """The JSON shape inside a finding's ``evidence`` list."""
        return {"role": self.role, "file": self.file, "line": self.line, "what": self.what}


@dataclass(frozen=True, slots=True)
class Finding:
    """One match of a rule: what, where (file, 1-based line) and how to fix it."""

    rule: str
    category: str
    severity: Severity
    confidence: Confidence
    file: str
    line: int
    snippet: str
    message: str
    remediation: str
    #: For a flow: the source and sink (and steps between) that make the finding.
    evidence: tuple[Evidence, ...] = ()

    @classmethod
    def of(
        cls,
        rule: Rule,
        file: str,
        line: int,
        snippet: str,
        message: str | None = None,
        *,
        severity: Severity | None = None,
        evidence: tuple[Evidence, ...] = (),
    ) -> Finding:
        """A finding of ``rule``; ``severity`` overrides the rule's (e.g. a quoted example);
        ``evidence`` is the proof of a flow (its source and sink, with their lines)."""
        return cls(
            rule=rule.id,
            category=rule.category,
            severity=severity or rule.severity,
            confidence=rule.confidence,
            file=file,
            line=line,
            snippet=snippet_of(snippet),
            message=message or rule.title,
            remediation=rule.remediation,
            evidence=evidence,
        )

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of ``tank scan --json`` and the registry's API."""
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": str(self.severity),
            "confidence": str(self.confidence),
            "file": self.file,
            "line": self.line,
            "snippet": self.snippet,
            "message": self.message,
            "remediation": self.remediation,
            "evidence": [e.as_dict() for e in self.evidence],
        }


def snippet_of(text: str, limit: int = 160) -> str:
    """One trimmed line with control and invisible characters escaped (``\\u200b``).

    Escaping matters: a snippet is shown in terminals and web pages, and the characters that
    hide an attack must be visible in the report rather than re-hide it.
    """
    line = text.strip().split("\n", 1)[0].strip()
    out = []
    for char in line[: limit * 2]:
        code = ord(char)
        if char == "\t" or (char.isprintable() and not 0xE0000 <= code <= 0xE007F):
            out.append(char)
        else:
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    joined = "".join(out)
    return joined if len(joined) <= limit else joined[: limit - 1] + "…"


def verdict(findings: Iterable[Finding]) -> Verdict:
    """``fail``: any critical, or a malware/injection finding of high confidence (medium or
    worse); ``flagged``: any high; ``pass_with_notes``: medium or low; ``pass``: none or info.
    """
    worst = Verdict.PASS
    for f in findings:
        if f.severity is Severity.CRITICAL or (
            f.category in BLOCKING_CATEGORIES
            and f.confidence is Confidence.HIGH
            and f.severity.rank <= Severity.MEDIUM.rank
        ):
            return Verdict.FAIL
        if f.severity is Severity.HIGH:
            worst = Verdict.FLAGGED
        elif f.severity in (Severity.MEDIUM, Severity.LOW) and worst is Verdict.PASS:
            worst = Verdict.PASS_WITH_NOTES
    return worst


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Everything one scan found. ``errors`` name analyzers that failed (also as findings)."""

    verdict: Verdict
    findings: tuple[Finding, ...]
    files_scanned: int
    errors: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """The JSON object ``tank scan --json`` prints."""
        return {
            "verdict": str(self.verdict),
            "findings": [f.as_dict() for f in self.findings],
            "files_scanned": self.files_scanned,
            "errors": list(self.errors),
        }
