"""SKILL.md frontmatter values that Python cannot build are problems, never exceptions."""

from __future__ import annotations

import pytest

from tank.core.frontmatter import read_frontmatter
from tank.core.skillmd import Mode, parse_skill_md


@pytest.mark.parametrize(
    "value",
    [
        "1" * 5000,  # past Python's int-string limit: ValueError
        "2001-13-45",  # a YAML timestamp with month 13: ValueError from datetime
        "0000-01-01",  # year 0
    ],
)
def test_unbuildable_values_are_reported_with_their_line(value: str) -> None:
    text = f"---\nname: a\ndescription: d\nmetadata:\n  bad: {value}\n---\n\nBody.\n"
    doc, report = parse_skill_md(text)
    assert doc is None
    (problem,) = report.problems
    assert problem.code == "skillmd.yaml.invalid"
    assert problem.location is not None and problem.location.line == 5
    # Lenient mode reads the file line by line instead and keeps the text as written.
    front, problems = read_frontmatter(text, lenient=True)
    assert front.fallback and front.values["metadata"] == {"bad": value}
    assert [p.code for p in problems] == ["skillmd.yaml.invalid"]
    doc, report = parse_skill_md(text, mode=Mode.LENIENT)
    assert doc is not None and doc.metadata == {"bad": value}
