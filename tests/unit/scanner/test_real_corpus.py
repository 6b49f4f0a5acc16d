"""Real public skills kept as regression data (``tests/corpus/real``): what already holds stays.

Each sample is a real skill (or the few files of one that matter) with its upstream licence and
a SOURCE.md (repository, commit, path). ``status.json`` says which ones the scanner already
gets right ("holds": tested here) and which are known wrong at first sight ("open: …": listed
in bench/README.md for the analyzers' owners, not tested until fixed).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tank.scanner import Verdict, scan_folder

REAL = Path(__file__).resolve().parents[2] / "corpus" / "real"
STATUS: dict[str, dict[str, str]] = json.loads((REAL / "status.json").read_text("utf-8"))


def _holding(label: str) -> list[Path]:
    return [
        REAL / label / name for name, state in sorted(STATUS[label].items()) if state == "holds"
    ]


@pytest.mark.parametrize("label", ["benign", "malicious"])
def test_every_real_sample_has_its_source_licence_and_status(label: str) -> None:
    folders = {p.name for p in (REAL / label).iterdir() if p.is_dir()}
    assert folders == set(STATUS[label])
    for name in folders:
        assert (REAL / label / name / "SOURCE.md").is_file(), name
        assert (REAL / label / name / "LICENSE").is_file() or (
            REAL / label / name / "LICENSE.txt"
        ).is_file(), name
        state = STATUS[label][name]
        assert state == "holds" or state.startswith("open: "), (name, state)


@pytest.mark.parametrize("folder", _holding("benign"), ids=lambda p: p.name)
def test_real_benign_skill_is_not_blocked(folder: Path) -> None:
    result = scan_folder(folder)
    assert result.verdict not in (Verdict.FAIL, Verdict.FLAGGED), [
        f.as_dict() for f in result.findings
    ]


@pytest.mark.parametrize("folder", _holding("malicious"), ids=lambda p: p.name)
def test_real_campaign_skill_is_refused(folder: Path) -> None:
    assert scan_folder(folder).verdict is Verdict.FAIL
