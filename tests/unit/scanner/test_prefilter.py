"""The required-literals prefilter must never skip a pattern that would match: derived needles
are checked on hand-made cases, on every rule sample, and against random text built to
contain near-misses of the rules' own words."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tank.scanner import load_rules
from tank.scanner.prefilter import required_literals

RULES = load_rules()
PATTERNS = [p for rule in RULES.patterns for p in rule.patterns]


@pytest.mark.parametrize(
    ("regex", "flags", "expected"),
    [
        (r"\bcurl\b[^\n]*\|\s*sh", 0, ("curl",)),
        (r"(?:webhook\.site|requestbin\.\w+)", re.I, ("requestbin.", "webhook.site")),
        (r"(?:foo|)bar", 0, ("bar",)),  # the alternation needs nothing; 'bar' is still needed
        (r"x(?:abc)?y", 0, None),  # an optional group requires nothing
        (r"(?=.*secret)token", 0, ("secret",)),  # a lookahead's words are required too
        (r"(?!password)\w+", 0, None),  # a negative lookahead requires nothing
        (r"[ab]{3}", 0, None),  # character classes yield no literal
    ],
)
def test_required_literals(regex: str, flags: int, expected: tuple[str, ...] | None) -> None:
    assert required_literals(re.compile(regex, flags)) == expected


def test_casefolding_is_at_least_as_loose_as_ignorecase() -> None:
    # re.IGNORECASE matches the long s and the Kelvin sign; the prefilter must not skip them.
    pattern = re.compile(r"\bignore\s+previous\s+instructions", re.IGNORECASE)
    needles = required_literals(pattern) or ()
    for text in ("IGNORE PREVIOUS INſTRUCTIONS", "ignore previous instructions"):
        assert pattern.search(text)
        assert any(n in text.casefold() for n in needles)


def test_every_sample_that_matches_passes_the_prefilter() -> None:
    for rule in RULES.patterns:
        samples = [*RULES.malicious[rule.rule.id], *RULES.benign[rule.rule.id]]
        for pattern, needles in zip(rule.patterns, rule.needles, strict=True):
            for sample in samples:
                if pattern.search(sample.text) and needles is not None:
                    folded = sample.text.casefold()
                    assert any(n in folded for n in needles), (rule.rule.id, pattern.pattern)


_WORDS = sorted(
    {n for rule in RULES.patterns for ns in rule.needles if ns for n in ns}
    | {"curl", "| sh", "ignore", "previous", "instructions", "/dev/tcp/1.2.3.4/80", "ſ", "K"}
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_WORDS), st.text(alphabet=" \n|:/.-_@~$=>'\"aeiksxZ", max_size=6)
        ),
        max_size=25,
    )
)
def test_no_pattern_matches_text_its_prefilter_would_skip(parts: list[str]) -> None:
    text = " ".join(parts)
    folded = text.casefold()
    for rule in RULES.patterns:
        for pattern, needles in zip(rule.patterns, rule.needles, strict=True):
            if needles is not None and not any(n in folded for n in needles):
                assert not pattern.search(text), (rule.rule.id, pattern.pattern, text)
