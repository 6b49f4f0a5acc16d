"""Invisible characters: what hides text, and what is only how text is written."""

from __future__ import annotations

from tank.scanner import scan_files


def _rules(text: str) -> set[str]:
    return {f.rule for f in scan_files({"SKILL.md": text.encode("utf-8")}).findings}


def test_a_subdivision_flag_and_a_lone_direction_mark_are_not_hidden_text() -> None:
    england = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
    assert not _rules(f"Go {england}!\n")
    assert not _rules("Author: \u200eDavid Cohen\n")
    assert "hidden.unicode_tags" in _rules(f"Go {england}\U000e0041\U000e0042\n")
    assert "hidden.bidi" in _rules("Run cu\u200erl now\n")
