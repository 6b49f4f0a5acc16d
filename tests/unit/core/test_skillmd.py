"""SKILL.md: frontmatter reading (lines, limits, lenient fallback) and the specification rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tank.core.errors import Severity
from tank.core.frontmatter import MAX_DEPTH, read_frontmatter
from tank.core.skillmd import (
    Mode,
    SkillDoc,
    is_valid_name,
    normalise_name,
    parse_skill_md,
    split_tools,
)


def skill(front: str, body: str = "Do the thing.\n") -> str:
    return f"---\n{front.strip(chr(10))}\n---\n{body}"


GOOD = skill("name: pdf-tools\ndescription: Work with PDF files.")


def codes(report: object) -> list[str]:
    return [p.code for p in report.problems]  # type: ignore[attr-defined]


def parse(text: str, **kwargs: object) -> tuple[SkillDoc | None, list[str]]:
    doc, report = parse_skill_md(text, **kwargs)  # type: ignore[arg-type]
    return doc, codes(report)


# --- happy path -------------------------------------------------------------------------------


def test_minimal_skill_parses() -> None:
    doc, report = parse_skill_md(GOOD, folder_name="pdf-tools")
    assert report.problems == ()
    assert doc is not None
    assert (doc.name, doc.description) == ("pdf-tools", "Work with PDF files.")
    assert doc.body == "Do the thing.\n"
    assert doc.body_line == 5
    assert doc.metadata == {} and doc.allowed_tools == () and doc.extra == {}


def test_all_spec_fields() -> None:
    text = skill(
        """
name: pdf-tools
description: Work with PDF files.
license: MIT
compatibility: Python 3.11+
metadata:
  author: ada
  version: "1.0"
allowed-tools: Read Bash(git status:*) Grep
"""
    )
    doc, report = parse_skill_md(text)
    assert report.ok and doc is not None
    assert doc.license == "MIT"
    assert doc.compatibility == "Python 3.11+"
    assert doc.metadata == {"author": "ada", "version": "1.0"}
    assert doc.allowed_tools == ("Read", "Bash(git status:*)", "Grep")


def test_bom_and_crlf_are_tolerated() -> None:
    doc, report = parse_skill_md("\ufeff" + GOOD.replace("\n", "\r\n"), folder_name="pdf-tools")
    assert report.problems == ()
    assert doc is not None and doc.body == "Do the thing.\n"


def test_description_length_counts_characters_not_bytes() -> None:
    ok = skill(f"name: a\ndescription: {'é' * 1024}")
    assert parse(ok)[1] == []
    too_long = skill(f"name: a\ndescription: {'é' * 1025}")
    doc, found = parse(too_long)
    assert doc is None and found == ["skillmd.description.too_long"]
    doc, found = parse(too_long, mode=Mode.LENIENT)
    assert doc is not None and len(doc.description) == 1025  # warned, not truncated


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a", "pdf-tools", "a1-b2-c3", "x" * 64, "0"])
def test_valid_names(name: str) -> None:
    assert is_valid_name(name)


@pytest.mark.parametrize("name", ["", "-a", "a-", "a--b", "A", "a_b", "a b", "x" * 65, "é"])
def test_invalid_names(name: str) -> None:
    assert not is_valid_name(name)


@given(st.text(max_size=80))
def test_normalise_name_gives_a_valid_name_or_none(text: str) -> None:
    fixed = normalise_name(text)
    assert fixed is None or is_valid_name(fixed)


def test_invalid_name_is_an_error_with_a_suggestion() -> None:
    doc, report = parse_skill_md(skill("name: PDF_Tools\ndescription: d"))
    assert doc is None
    (problem,) = report.problems
    assert problem.code == "skillmd.name.invalid"
    assert problem.location is not None and problem.location.line == 2
    assert problem.hint is not None and "pdf-tools" in problem.hint


def test_lenient_normalises_an_invalid_name_with_a_warning() -> None:
    doc, report = parse_skill_md(skill("name: PDF_Tools\ndescription: d"), mode=Mode.LENIENT)
    assert doc is not None and doc.name == "pdf-tools"
    assert report.ok and codes(report) == ["skillmd.name.invalid"]


def test_name_must_match_folder() -> None:
    doc, found = parse(GOOD, folder_name="other")
    assert doc is None and found == ["skillmd.name.mismatch"]
    doc, report = parse_skill_md(GOOD, folder_name="other", mode=Mode.LENIENT)
    assert doc is not None and doc.name == "pdf-tools"
    assert report.warnings[0].code == "skillmd.name.mismatch"


def test_missing_name_and_description() -> None:
    doc, found = parse(skill("license: MIT"))
    assert doc is None
    assert found == ["skillmd.name.missing", "skillmd.description.missing"]


def test_lenient_missing_name_uses_folder() -> None:
    doc, report = parse_skill_md(skill("description: d"), folder_name="tool", mode=Mode.LENIENT)
    assert doc is not None and doc.name == "tool"
    assert report.ok


def test_name_that_yaml_reads_as_a_number_is_kept_as_text() -> None:
    doc, report = parse_skill_md(skill("name: 123\ndescription: d"), folder_name="123")
    assert report.ok and doc is not None and doc.name == "123"


# --- frontmatter structure --------------------------------------------------------------------


def test_missing_frontmatter() -> None:
    doc, found = parse("# Just markdown\n")
    assert doc is None and found[0] == "skillmd.frontmatter.missing"


def test_lenient_missing_frontmatter_reads_body_and_folder_name() -> None:
    doc, report = parse_skill_md("# Tool\nText\n", folder_name="tool", mode=Mode.LENIENT)
    assert doc is not None and doc.name == "tool" and doc.body.startswith("# Tool")
    assert report.ok
    assert {p.severity for p in report.problems} == {Severity.WARNING}


def test_unterminated_frontmatter() -> None:
    for mode in Mode:
        doc, found = parse("---\nname: a\ndescription: b\n", mode=mode)
        assert doc is None and found == ["skillmd.frontmatter.unterminated"]


def test_frontmatter_must_be_a_mapping() -> None:
    doc, found = parse(skill("- a\n- b"))
    assert doc is None and found == ["skillmd.frontmatter.not_mapping"]


def test_frontmatter_size_limit() -> None:
    text = skill("name: a\ndescription: d\nmetadata:\n" + "  k: v\n" * 20000)
    for mode in Mode:
        doc, found = parse(text, mode=mode)
        assert doc is None and found == ["skillmd.frontmatter.too_large"]


def test_aliases_are_refused_even_in_lenient_mode() -> None:
    bomb = skill(
        """
name: a
description: d
x: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
y: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
z: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
"""
    )
    for mode in Mode:
        doc, report = parse_skill_md(bomb, mode=mode)
        assert doc is None
        (problem,) = report.problems
        assert problem.code == "skillmd.yaml.alias"
        assert problem.location is not None and problem.location.line == 5


def test_deep_nesting_is_refused() -> None:
    deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    doc, found = parse(skill(f"name: a\ndescription: d\nmetadata: {deep}"))
    assert doc is None and found == ["skillmd.yaml.too_deep"]


def test_duplicate_keys() -> None:
    text = skill("name: a\ndescription: d\nname: a")
    doc, report = parse_skill_md(text)
    assert doc is None and codes(report) == ["skillmd.key.duplicate"]
    assert report.problems[0].location is not None
    assert report.problems[0].location.line == 4
    doc, report = parse_skill_md(text, mode=Mode.LENIENT)
    assert doc is not None and report.ok


def test_key_lines_point_at_the_skill_md_lines() -> None:
    front, problems = read_frontmatter(
        skill("name: a\n\ndescription: >\n  folded\n  text\nlicense: MIT")
    )
    assert problems == []
    assert front.lines == {"name": 2, "description": 4, "license": 7}
    assert front.values["description"] == "folded text\n"
    assert front.body_line == 9


# --- invalid YAML: strict reports, lenient reads ----------------------------------------------

UNQUOTED_COLON = skill(
    """
name: helper
description: Use this when: the user asks for help
metadata: {"stars": 5, "tags": "a b"}
allowed-tools: Read
"""
)


def test_strict_reports_yaml_errors_with_line_and_hint() -> None:
    doc, report = parse_skill_md(UNQUOTED_COLON)
    assert doc is None
    (problem,) = report.problems
    assert problem.code == "skillmd.yaml.invalid"
    assert problem.location is not None and problem.location.line == 3
    assert problem.hint is not None and "Quote" in problem.hint


def test_lenient_reads_unquoted_colons_and_flow_style() -> None:
    doc, report = parse_skill_md(UNQUOTED_COLON, mode=Mode.LENIENT, folder_name="helper")
    assert report.ok and doc is not None
    assert doc.description == "Use this when: the user asks for help"
    assert doc.metadata == {"stars": "5", "tags": "a b"}
    assert doc.allowed_tools == ("Read",)
    found = codes(report)
    assert found[0] == "skillmd.yaml.invalid"
    assert "skillmd.metadata.value_type" in found


def test_lenient_fallback_handles_continuations_blocks_and_nesting() -> None:
    text = skill(
        """
name: helper
description: First line: with colon
  and a continuation
license: |
  MIT
  or Apache
metadata:
  author: ada: lovelace
  team: core
compatibility:
  - one
# a comment
  stray indented line
not a key line
"""
    )
    doc, report = parse_skill_md(text, mode=Mode.LENIENT)
    assert doc is not None
    assert doc.description == "First line: with colon and a continuation"
    assert doc.license == "MIT\nor Apache\n"
    assert doc.metadata == {"author": "ada: lovelace", "team": "core"}
    assert "skillmd.frontmatter.line_skipped" in codes(report)


# --- other fields -----------------------------------------------------------------------------


def test_metadata_values_must_be_strings_in_strict_mode() -> None:
    doc, found = parse(skill("name: a\ndescription: d\nmetadata:\n  version: 1.0"))
    assert doc is None and found == ["skillmd.metadata.value_type"]


def test_metadata_must_be_a_mapping() -> None:
    doc, report = parse_skill_md(skill("name: a\ndescription: d\nmetadata: [1]"), mode=Mode.LENIENT)
    assert doc is not None and doc.metadata == {}
    assert codes(report) == ["skillmd.metadata.type"]


def test_compatibility_limit() -> None:
    doc, found = parse(skill(f"name: a\ndescription: d\ncompatibility: {'x' * 501}"))
    assert doc is None and found == ["skillmd.compatibility.too_long"]


def test_allowed_tools_forms() -> None:
    assert split_tools("Read  Grep\tBash(git add:*)") == (
        ("Read", "Grep", "Bash(git add:*)"),
        False,
    )
    assert split_tools("Read, Grep") == (("Read", "Grep"), True)
    doc, found = parse(skill("name: a\ndescription: d\nallowed-tools: [Read, Grep]"))
    assert doc is None and found == ["skillmd.allowed_tools.type"]
    doc, _ = parse(skill("name: a\ndescription: d\nallowed-tools: [Read]"), mode=Mode.LENIENT)
    assert doc is not None and doc.allowed_tools == ("Read",)


def test_vendor_keys_warn_and_are_kept() -> None:
    text = skill("name: a\ndescription: d\ndisable-model-invocation: true\nversion: 1.2.0")
    doc, report = parse_skill_md(text)
    assert report.ok and doc is not None
    assert doc.extra == {"disable-model-invocation": True, "version": "1.2.0"}
    assert codes(report) == ["skillmd.key.vendor", "skillmd.key.vendor"]


def test_unknown_keys_error_in_strict_with_did_you_mean() -> None:
    doc, report = parse_skill_md(skill("name: a\ndescription: d\nlicence: MIT"))
    assert doc is None
    (problem,) = report.problems
    assert problem.code == "skillmd.key.unknown" and problem.hint == "Did you mean 'license'?"
    assert problem.location is not None and problem.location.line == 4
    doc, report = parse_skill_md(skill("name: a\ndescription: d\nlicence: MIT"), mode=Mode.LENIENT)
    assert doc is not None and doc.extra == {"licence": "MIT"} and report.ok


def test_empty_body_is_a_warning() -> None:
    doc, report = parse_skill_md(skill("name: a\ndescription: d", body=""))
    assert doc is not None and codes(report) == ["skillmd.body.empty"] and report.ok


def test_problems_render_with_file_and_line() -> None:
    _, report = parse_skill_md(skill("name: a\ndescription: d\nlicence: MIT"), file="x/SKILL.md")
    assert str(report.problems[0]).startswith("x/SKILL.md:4: error[skillmd.key.unknown]")


@given(st.text(max_size=300), st.sampled_from(list(Mode)))
def test_never_raises(text: str, mode: Mode) -> None:
    doc, report = parse_skill_md(text, mode=mode)
    assert doc is None or report.ok or mode is Mode.LENIENT


@given(st.text(alphabet="abc:- \n\t|>{}[]#'\"&*!%@`", max_size=200))
def test_never_raises_on_yaml_like_frontmatter(front: str) -> None:
    for mode in Mode:
        parse_skill_md(f"---\n{front}\n---\nbody", mode=mode)
