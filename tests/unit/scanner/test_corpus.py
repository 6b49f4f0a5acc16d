"""The corpus: every malicious skill is blocked, no benign one is (scripts/scan_corpus.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tank.scanner import Verdict, scan_folder

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
BLOCKED = {Verdict.FAIL, Verdict.FLAGGED}


def _skills(label: str) -> list[Path]:
    return sorted(p for p in (CORPUS / label).iterdir() if p.is_dir())


def test_corpus_is_large_enough() -> None:
    assert len(_skills("malicious")) >= 30 and len(_skills("benign")) >= 30


@pytest.mark.parametrize("folder", _skills("malicious"), ids=lambda p: p.name)
def test_malicious_skill_is_blocked(folder: Path) -> None:
    assert scan_folder(folder).verdict in BLOCKED


@pytest.mark.parametrize("folder", _skills("benign"), ids=lambda p: p.name)
def test_benign_skill_is_not_blocked(folder: Path) -> None:
    result = scan_folder(folder)
    assert result.verdict not in BLOCKED, [f.as_dict() for f in result.findings]
