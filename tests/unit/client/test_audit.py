"""Audit results from registry documents, and the install policies built on them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from tank.client.audit import SkillAudit, audit_from_documents, summarize
from tank.client.errors import AuditPolicyError
from tank.client.policy import (
    below_minimum,
    refuse_below_minimum,
    refuse_quarantined,
    required_by,
    settle_budget,
)
from tank.client.status import VersionStatus
from tank.core.errors import PermissionBudgetError
from tank.core.lockfile import LockedSkill, Lockfile, PackageMeta, build_lockfile
from tank.core.manifest import ManifestKind, parse_manifest
from tank.core.permissions import BudgetViolation, Permissions
from tank.core.resolver import Resolution
from tank.core.semver import parse_version

INTEGRITY = "sha512-" + "A" * 86 + "=="


def locked(
    name: str,
    version: str = "1.0.0",
    *,
    score: float | None = 5.0,
    verdict: str | None = "pass",
    local: bool = False,
    permissions: object = None,
) -> LockedSkill:
    resolved = f"file:./{name}" if local else f"/v1/skills/{name}/{version}/tarball"
    meta = PackageMeta(
        integrity=INTEGRITY,
        resolved=resolved,
        permissions=Permissions.from_json(permissions or {}),
        audit_score=score,
        verdict=verdict,
    )
    return LockedSkill(name, parse_version(version), meta)


def lock_of(*skills: LockedSkill) -> Lockfile:
    resolution = Resolution({s.name: s.version for s in skills}, {})
    return build_lockfile(resolution, {(s.name, s.version): s.meta for s in skills}, None)


DETAIL: dict[str, Any] = {
    "verdict": "flagged",
    "audit_score": 4,
    "score_breakdown": {
        "code_signing": {"points": 0, "max": 1, "note": "unsigned"},
        "static_analysis": {"points": 1, "max": 1, "note": "clean"},
        "broken": "not a mapping",
    },
    "findings": [
        {"severity": "low", "rule": "r-low", "file": "a.md", "line": 3, "message": "meh"},
        "a plain string is skipped",
        {
            "severity": "critical",
            "rule": "r-crit",
            "file": "run.sh",
            "line": 1,
            "message": "curl | sh",
            "remediation": "do not pipe to a shell",
        },
        {"severity": "weird", "message": "unknown severity sorts last", "line": True},
        {"severity": "high", "rule": "r-high", "message": "no file"},
    ],
}


def test_document_parsing_orders_findings_and_reads_leniently() -> None:
    skill = locked("@a/x", score=3.0)
    doc = {"versions": {"1.0.0": {"verdict": "flagged", "audit_score": 4.0}}}
    audit = audit_from_documents(skill, doc, DETAIL)
    assert (audit.verdict, audit.score, audit.locked_score) == ("flagged", 4.0, 3.0)
    assert [i.name for i in audit.breakdown] == ["code_signing", "static_analysis"]
    assert str(audit.breakdown[0]) == "code_signing 0/1 unsigned"
    assert [f.severity for f in audit.findings] == ["critical", "high", "low", "weird"]
    assert audit.findings[0].remediation == "do not pipe to a shell"
    assert audit.findings[3].line is None  # a bool is not a line number
    assert audit.unavailable is None
    data = audit.to_json()
    assert data["score_breakdown"]["code_signing"] == {
        "points": 0.0,
        "max": 1.0,
        "note": "unsigned",
    }


def test_the_skill_document_is_the_current_truth() -> None:
    """A rescan changes the (revalidated) skill document first: its verdict wins."""
    doc = {"versions": {"1.0.0": {"verdict": "fail", "audit_score": 0}}}
    audit = audit_from_documents(locked("@a/x"), doc, {"verdict": "pass", "audit_score": 9})
    assert (audit.verdict, audit.score) == ("fail", 0.0)


@pytest.mark.parametrize(
    ("doc", "why"),
    [
        (None, "no such skill"),
        ({"versions": {}}, "does not list this version"),
        ({"versions": {"1.0.0": {"deleted": True}}}, "unpublished"),
        ({"versions": ["not", "a", "mapping"]}, "does not list this version"),
    ],
)
def test_unavailable_versions_say_why(doc: Any, why: str) -> None:
    audit = audit_from_documents(locked("@a/x"), doc, None)
    assert audit.unavailable is not None and why in audit.unavailable


def test_local_skills_are_not_audited_and_never_fail() -> None:
    audit = audit_from_documents(locked("@me/mine", local=True, score=None), None, None)
    assert audit.local and audit.unavailable is None
    assert not audit.below(10)
    summary = summarize([audit], 10)
    assert summary.ok and summary.audited == 0 and summary.lowest is None


def test_summary_counts_and_verdict() -> None:
    audits = [
        SkillAudit("@a/a", "1.0.0", verdict="pass", score=8.0),
        SkillAudit("@a/b", "1.0.0", verdict="flagged", score=6.0),
        SkillAudit("@a/c", "1.0.0", verdict="fail", score=None),
        SkillAudit("@a/d", "1.0.0", unavailable="gone"),
        SkillAudit("@a/e", "1.0.0", local=True),
    ]
    summary = summarize(audits, 7)
    assert not summary.ok
    assert summary.skills == 5 and summary.audited == 3
    assert summary.lowest is not None and summary.lowest.key == "@a/c@1.0.0"  # unscored = 0
    assert summary.flagged == ("@a/b@1.0.0",) and summary.failed == ("@a/c@1.0.0",)
    assert summary.below_minimum == ("@a/b@1.0.0", "@a/c@1.0.0")
    assert summary.unavailable == ("@a/d@1.0.0",)
    assert summarize(audits[:1], 7).ok
    assert not summarize(audits[:1], 8.5).ok
    assert summarize(audits[:1], None).to_json()["ok"] is True


def test_quarantine_from_the_lockfile_or_from_the_registry_now() -> None:
    good, bad = locked("@a/good"), locked("@a/bad", verdict="fail")
    with pytest.raises(AuditPolicyError) as recorded:
        refuse_quarantined(lock_of(good, bad), {})
    assert recorded.value.code == "quarantined" and "@a/bad@1.0.0" in str(recorded.value)
    assert "@a/good" not in str(recorded.value)

    later = locked("@a/later", verdict="pass")  # locked as pass, failed by a rescan since
    now = {"@a/later": {"versions": {"1.0.0": {"verdict": "fail"}, "1.1.0": {"verdict": "pass"}}}}
    with pytest.raises(AuditPolicyError, match=r"@a/later@1\.0\.0"):
        refuse_quarantined(lock_of(good, later), now)
    refuse_quarantined(lock_of(good, later), {"@a/later": {"versions": {"1.0.0": {}}}})
    # Another version failing does not matter; a local skill has no registry verdict.
    other = {"@a/later": {"versions": {"1.0.0": {"verdict": "pass"}, "2.0.0": {"verdict": "fail"}}}}
    refuse_quarantined(lock_of(later), other)
    refuse_quarantined(lock_of(locked("@me/x", local=True, verdict="fail")), {})


def test_min_score_refusal_summarises_each_skill_and_carries_its_breakdown() -> None:
    high = locked("@a/high", score=8.0)
    low = locked("@a/low", score=2.0)
    unscored = locked("@a/none", score=None)
    mine = locked("@me/mine", score=None, local=True)
    lock = lock_of(high, low, unscored, mine)
    offenders = below_minimum(lock, 7)
    assert [s.name for s in offenders] == ["@a/low", "@a/none"]  # local skills are exempt
    details = {"@a/low@1.0.0": DETAIL, "@a/none@1.0.0": None}
    with pytest.raises(AuditPolicyError) as refused:
        refuse_below_minimum(offenders, 7, details)
    error = refused.value
    assert error.code == "below_min_score" and "2 skills" in error.message
    first, second = (p.message for p in error.problems)
    # the registry's current score (the version document's) is the one shown and judged
    assert first.startswith("@a/low@1.0.0 scores 4.0/10, below audit.min_score 7")
    assert "skills.lock recorded 2.0/10" in first
    # one line: the items short of their maximum; the full breakdown rides on the error
    assert "\n" not in first and "missing 1 point: code_signing 0/1" in first
    assert "static_analysis" not in first
    assert "    code_signing 0/1 unsigned" in error.verbose_lines()
    assert "    static_analysis 1/1 clean" in error.verbose_lines()
    assert "@a/none@1.0.0 scores unscored" in second and "counts as 0" in second
    assert error.hint is not None and "lower audit.min_score" in error.hint
    refuse_below_minimum([], 7, {})  # nothing below: no error


def budget_case(ask: Any) -> tuple[Any, list[Sequence[BudgetViolation]]]:
    text = '{"name": "p", "skills": {"@a/x": "^1"}, "permissions": {"secrets": ["A"]}}'
    manifest, _ = parse_manifest(text, kind=ManifestKind.PROJECT)
    assert manifest is not None
    skill = locked("@a/x", permissions={"secrets": ["A", "B"], "subprocess": True})
    seen: list[Sequence[BudgetViolation]] = []

    def record(violations: Sequence[BudgetViolation]) -> bool:
        seen.append(violations)
        return bool(ask)

    return settle_budget(manifest, lock_of(skill), record if ask is not None else None), seen


def test_budget_widened_only_when_the_user_agrees() -> None:
    widened, seen = budget_case(True)
    assert len(seen) == 1 and [v.requested for v in seen[0]] == ["B", "true"]
    assert widened.raw["permissions"] == {"secrets": ["A", "B"], "subprocess": True}
    for answer in (False, None):
        with pytest.raises(PermissionBudgetError) as refused:
            budget_case(answer)
        assert len(refused.value.problems) == 2


def test_min_score_judges_the_registry_score_of_now_over_the_locked_one() -> None:
    raised = locked("@a/raised", score=2.0)  # reviews since: the registry scores it 8 now
    dropped = locked("@a/dropped", score=9.0)  # a rescan since: 3 now
    unscored = locked("@a/offline", score=None)  # locked offline; the registry knows better
    lock = lock_of(raised, dropped, unscored)
    now = {
        "@a/raised@1.0.0": VersionStatus("pass", 8.0, servable=True),
        "@a/dropped@1.0.0": VersionStatus("flagged", 3.0, servable=True),
        "@a/offline@1.0.0": VersionStatus("pass", 7.0, servable=True),
    }
    assert [s.name for s in below_minimum(lock, 7, now)] == ["@a/dropped"]
    # without an answer from the registry the locked score decides (unscored counts as 0)
    assert [s.name for s in below_minimum(lock, 7)] == ["@a/offline", "@a/raised"]


def test_required_by_is_the_shortest_chain_to_a_skill_the_project_asks_for() -> None:
    edges = {"@a/top": ["@a/mid", "@a/leaf"], "@a/mid": ["@a/base"], "@a/base": ["@a/leaf"]}
    skills = [locked(n) for n in ("@a/top", "@a/mid", "@a/base", "@a/leaf")]
    one = parse_version("1.0.0")
    resolution = Resolution(
        {s.name: s.version for s in skills},
        {name: dict.fromkeys(deps, one) for name, deps in edges.items()},
    )
    lock = build_lockfile(resolution, {(s.name, s.version): s.meta for s in skills}, None)
    chains = required_by(lock, {"@a/top"})
    assert chains == {
        "@a/mid@1.0.0": ("@a/top",),
        "@a/base@1.0.0": ("@a/mid", "@a/top"),
        "@a/leaf@1.0.0": ("@a/top",),  # top requires it directly: the longer path is not shown
    }
    base = BudgetViolation(
        "@a/base@1.0.0", "subprocess", "true", "no", "fix", chains["@a/base@1.0.0"]
    )
    assert str(base).startswith("@a/base@1.0.0 (required by @a/mid, via @a/top) needs")
    deeper = BudgetViolation("@a/x@1.0.0", "subprocess", "true", "", "", ("@a/c", "@a/b", "@a/a"))
    assert deeper.chain == " (required by @a/c, via @a/a → @a/b)"
    assert BudgetViolation("@a/top@1.0.0", "subprocess", "true", "", "").chain == ""
