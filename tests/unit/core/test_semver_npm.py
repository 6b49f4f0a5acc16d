"""Conformance with the real npm ``semver``: every case in tests/data/npm_semver/cases.json.

The data set is produced by scripts/gen_npm_semver_cases.sh (node + the pinned npm semver);
these tests only read the JSON, so they need no node. Each test gathers every mismatch and
reports them together, which says far more about a regression than the first failure.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tank.core.errors import VersionError
from tank.core.semver import Range, parse_range, parse_version

pytestmark = pytest.mark.npm

CASES = Path(__file__).parents[2] / "data" / "npm_semver" / "cases.json"

# Where we knowingly differ from npm, with the reason. Keep it empty if at all possible.
INTENTIONAL_DIFFERENCES: dict[str, str] = {}


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CASES.read_text(encoding="utf-8"))
    return data


def _ranges() -> list[tuple[str, list[list[str]] | None, list[tuple[str, int]]]]:
    return [
        (r, desugared, [(v, ok) for v, ok in checks])
        for r, desugared, checks in _data()["ranges"]
        if r not in INTENTIONAL_DIFFERENCES
    ]


def _parse(text: str) -> Range | None:
    try:
        return parse_range(text)
    except VersionError:
        return None


def test_data_set_is_big_enough() -> None:
    ranges = _data()["ranges"]
    pairs = sum(len(checks) for _, _, checks in ranges)
    assert pairs >= 2500
    assert sum(1 for _, d, _ in ranges if d is None) >= 50  # invalid ranges are covered
    assert len(_data()["compare"]) >= 300


def test_validity_matches_npm_valid_range() -> None:
    wrong = [
        (r, "npm: invalid" if desugared is None else "npm: valid")
        for r, desugared, _ in _ranges()
        if (_parse(r) is None) != (desugared is None)
    ]
    assert wrong == []


def test_invalid_ranges_raise_version_error_with_hint() -> None:
    for r, desugared, _ in _ranges():
        if desugared is None:
            with pytest.raises(VersionError) as info:
                parse_range(r)
            assert info.value.hint, r


def test_desugaring_matches_npm() -> None:
    wrong = []
    for r, desugared, _ in _ranges():
        ours = _parse(r)
        if desugared is None or ours is None:
            continue
        mine = [[f"{op}{v}" if v is not None else "" for op, v in alt] for alt in ours.comparators]
        if mine != desugared:
            wrong.append((r, mine, desugared))
    assert wrong == []


def test_satisfies_matches_npm() -> None:
    wrong = []
    total = 0
    for r, desugared, checks in _ranges():
        ours = _parse(r)
        if desugared is None or ours is None:
            continue
        for text, expected in checks:
            total += 1
            v = parse_version(text)
            if ours.contains(v) != bool(expected):
                wrong.append((r, text, bool(expected)))
            # The documented decomposition must hold on every npm case too.
            assert ours.contains(v) == (ours.version_set.contains(v) and ours.admits_prerelease(v))
    assert total >= 2500
    assert wrong == []


def test_compare_matches_npm() -> None:
    wrong = []
    for a, b, expected in _data()["compare"]:
        va, vb = parse_version(a), parse_version(b)
        ours = (va > vb) - (va < vb)
        if ours != expected:
            wrong.append((a, b, expected, ours))
    assert wrong == []
