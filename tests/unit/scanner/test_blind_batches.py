"""Blind batches as regression data: every outcome held today stays held.

``tests/corpus/blind/batch-N/{malicious,undeclared,benign}/`` were written by authors who never
saw the scanner (``tests/corpus/blind/README.md``). A malicious or undeclared-capability skill
must be refused (verdict ``fail``, which is what the registry applies at publish); an
undeclared one must also name the capability; a benign one must not be refused. The skills the
scanner still gets wrong are listed in ``tests/corpus/blind/status.json`` (``open``), so this
test fails both ways: when a held outcome regresses, and when an open one is fixed without
updating the list (regenerate it with ``bench/scan/blind.py --status``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tank.scanner import Verdict, scan_folder

BLIND = Path(__file__).resolve().parents[2] / "corpus" / "blind"
OPEN: dict[str, list[str]] = json.loads((BLIND / "status.json").read_text("utf-8"))["open"]
LABELS = ("malicious", "undeclared", "benign")


def _skills() -> list[Path]:
    return sorted(
        skill
        for batch in BLIND.glob("batch-*")
        for label in LABELS
        if (batch / label).is_dir()
        for skill in (batch / label).iterdir()
        if skill.is_dir()
    )


def _key(skill: Path) -> str:
    return f"{skill.parents[1].name}/{skill.parent.name}/{skill.name}"


def test_there_are_at_least_three_batches_of_forty() -> None:
    batches = sorted(BLIND.glob("batch-*"))
    assert len(batches) >= 3
    for batch in batches:
        assert sum(1 for s in _skills() if s.parents[1] == batch) >= 40, batch.name


def test_every_open_entry_names_a_skill() -> None:
    known = {_key(s) for s in _skills()}
    assert set(OPEN) <= known, set(OPEN) - known


@pytest.mark.parametrize("skill", _skills(), ids=_key)
def test_blind_skill_outcome_is_held(skill: Path) -> None:
    result = scan_folder(skill, timeout_s=60)
    label = skill.parent.name
    refused = result.verdict is Verdict.FAIL
    if label == "undeclared":
        refused = refused and any(
            f.rule.startswith("capability.undeclared") for f in result.findings
        )
    right = refused if label != "benign" else not refused
    rules = sorted({f.rule for f in result.findings if f.severity.rank <= 1})
    if _key(skill) in OPEN:
        assert not right, (
            f"{_key(skill)} is now right ({result.verdict}): remove it from status.json"
        )
    else:
        assert right, f"{_key(skill)} ({label}) regressed: {result.verdict}, rules {rules}"
