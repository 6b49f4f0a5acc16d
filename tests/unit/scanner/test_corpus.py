"""The corpus: every malicious skill is blocked for its reason, no benign one is blocked.

A verdict alone passes for the wrong reason (a sample caught only by an incidental rule
stays "blocked" after the rule it was written for breaks), so each malicious sample lists the
rule ids it must raise in ``tests/corpus/expected-rules.json``. See scripts/scan_corpus.py
for the recall and false-positive figures.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tank.scanner import Verdict, load_rules, scan_folder

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
BLOCKED = {Verdict.FAIL, Verdict.FLAGGED}
EXPECTED: dict[str, list[str]] = json.loads(
    (CORPUS / "expected-rules.json").read_text(encoding="utf-8")
)["malicious"]


def _skills(label: str) -> list[Path]:
    return sorted(p for p in (CORPUS / label).iterdir() if p.is_dir())


def test_corpus_is_large_enough() -> None:
    assert len(_skills("malicious")) >= 30 and len(_skills("benign")) >= 30


def test_every_malicious_sample_names_the_rules_it_must_raise() -> None:
    names = {p.name for p in _skills("malicious")}
    assert set(EXPECTED) == names  # no sample without its rules, no rules without a sample
    known = set(load_rules().rules)
    for name, rules in EXPECTED.items():
        assert rules, f"{name}: list at least one rule id"
        assert set(rules) <= known, f"{name}: unknown rule ids {set(rules) - known}"


@pytest.mark.parametrize("folder", _skills("malicious"), ids=lambda p: p.name)
def test_malicious_skill_is_blocked_by_the_rules_it_was_written_for(folder: Path) -> None:
    result = scan_folder(folder)
    assert result.verdict in BLOCKED
    raised = {f.rule for f in result.findings}
    missing = set(EXPECTED.get(folder.name, ())) - raised
    assert not missing, f"{folder.name} no longer raises {sorted(missing)}; raised {sorted(raised)}"


@pytest.mark.parametrize("folder", _skills("benign"), ids=lambda p: p.name)
def test_benign_skill_is_not_blocked(folder: Path) -> None:
    result = scan_folder(folder)
    assert result.verdict not in BLOCKED, [f.as_dict() for f in result.findings]
