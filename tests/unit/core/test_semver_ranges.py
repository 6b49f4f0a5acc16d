"""npm ranges: desugaring, the prerelease rule, errors with hints, helpers."""

from __future__ import annotations

import pytest

from tank.core.errors import VersionError
from tank.core.semver import Range, parse_range, parse_version

V = parse_version


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("^0.0.3", ">=0.0.3 <0.0.4-0"),
        ("^0.2.3", ">=0.2.3 <0.3.0-0"),
        ("^1.2.3", ">=1.2.3 <2.0.0-0"),
        ("^1.2.3-beta.2", ">=1.2.3-beta.2 <2.0.0-0"),
        ("^0.0.3-beta", ">=0.0.3-beta <0.0.4-0"),
        ("^1.2", ">=1.2.0 <2.0.0-0"),
        ("^0.0", "<0.1.0-0"),  # >=0.0.0 is "any", which npm drops beside a bound
        ("^1.x", ">=1.0.0 <2.0.0-0"),
        ("~1.2", ">=1.2.0 <1.3.0-0"),
        ("~1", ">=1.0.0 <2.0.0-0"),
        ("~1.2.3-beta.2", ">=1.2.3-beta.2 <1.3.0-0"),
        ("~>1.2.3", ">=1.2.3 <1.3.0-0"),
        ("~ 1.2.3", ">=1.2.3 <1.3.0-0"),
        ("1.x", ">=1.0.0 <2.0.0-0"),
        ("1.2.*", ">=1.2.0 <1.3.0-0"),
        ("1", ">=1.0.0 <2.0.0-0"),
        ("*", "*"),
        ("", "*"),
        ("x", "*"),
        (">1", ">=2.0.0"),
        (">1.2", ">=1.3.0"),
        ("<=1.2", "<1.3.0-0"),
        ("<1.2", "<1.2.0-0"),
        (">*", "<0.0.0-0"),
        (">= 1.2.3", ">=1.2.3"),
        ("=v1.2.3", "1.2.3"),
        ("v1.2.3", "1.2.3"),
        ("1.2.3+build", "1.2.3"),
        ("1.2.3 - 2.3.4", ">=1.2.3 <=2.3.4"),
        ("1.2 - 2.3.4", ">=1.2.0 <=2.3.4"),
        ("1.2.3 - 2.3", ">=1.2.3 <2.4.0-0"),
        ("1.2.3 - 2", ">=1.2.3 <3.0.0-0"),
        ("* - 2", "<3.0.0-0"),
        ("1.2.3 || 2.x", "1.2.3 || >=2.0.0 <3.0.0-0"),
        ("* || 1.0.0-rc.1", "*"),  # npm: a bare * swallows the other alternatives
        ("<0.0.0-0 || 1.2.3", "1.2.3"),
        ("1.2.3 ||", "*"),  # npm: an empty alternative is "any", and "any" swallows the rest
        ("  >=1.0.0\t<2.0.0  ", ">=1.0.0 <2.0.0"),
    ],
)
def test_desugaring(text: str, normalised: str) -> None:
    r = parse_range(text)
    assert str(r) == normalised
    assert r.raw == text


@pytest.mark.parametrize(
    ("text", "version", "expected"),
    [
        ("^1.2.3-beta.2", "1.2.3-beta.3", True),
        ("^1.2.3-beta.2", "1.2.3-beta.1", False),
        ("^1.2.3-beta.2", "1.2.4-beta.1", False),  # other release: prerelease rule
        ("^1.2.3-beta.2", "1.2.4", True),
        ("^1.2.3", "1.5.0-rc.1", False),
        ("^1.2.3", "2.0.0-0", False),
        (">=1.0.0 <2.0.0", "2.0.0-rc.1", False),
        (">1.2.3-alpha <1.2.4", "1.2.3-beta", True),
        ("1.2.3-beta || >=2.0.0", "1.2.3-beta", True),
        ("1.2.3-beta || >=1.0.0", "1.2.3-rc.1", False),  # rule is per || alternative
        ("*", "1.0.0-rc.1", False),
        ("<0.0.0-0", "0.0.0-0", False),
        ("1.2.3", "1.2.3+build.7", True),
    ],
)
def test_contains(text: str, version: str, expected: bool) -> None:
    r = parse_range(text)
    v = V(version)
    assert r.contains(v) is expected
    assert (v in r) is expected
    assert r.contains(v) == (r.version_set.contains(v) and r.admits_prerelease(v))


def test_version_set_ignores_prerelease_rule() -> None:
    r = parse_range("^1.2.3")
    assert r.version_set.contains(V("1.5.0-rc.1"))
    assert not r.admits_prerelease(V("1.5.0-rc.1"))
    assert r.admits_prerelease(V("1.5.0"))
    assert str(parse_range("1.x || >=2.5.0").version_set) == ">=1.0.0 <2.0.0-0 || >=2.5.0"


def test_max_satisfying() -> None:
    versions = [V(t) for t in ["1.0.0", "1.2.0", "1.9.9", "2.0.0", "2.0.0-rc.1", "1.9.10-rc.1"]]
    assert parse_range("^1.0.0").max_satisfying(versions) == V("1.9.9")
    assert parse_range(">=2.0.0-rc.1").max_satisfying(versions) == V("2.0.0")
    assert parse_range("^3").max_satisfying(versions) is None


def test_equality_is_by_meaning_of_text() -> None:
    assert parse_range("^1.2.3") == parse_range(">=1.2.3 <2.0.0-0")
    assert hash(parse_range("1.x")) == hash(parse_range("^1"))
    assert parse_range("^1.2.3") != parse_range("~1.2.3")
    assert parse_range("^1.2.3") != "^1.2.3"
    assert repr(parse_range("^1")) == "Range('^1')"
    assert Range.parse("^1") == parse_range("^1")


@pytest.mark.parametrize(
    "text",
    [
        "foo",
        "1.2.3.4",
        ">=01.2.3",
        "1.x.3",
        "x.1",
        "^^1.2",
        ">==1.2.3",
        "=1.2.3 - 2",  # npm quirk: "=" is fine alone but not in a hyphen range
        "1.2.3 -2.0.0",
        "1.2.3beta",
        ">",
        "latest",
        "1.2.3-ß",
    ],
)
def test_invalid_ranges_explain_what_is_allowed(text: str) -> None:
    with pytest.raises(VersionError) as info:
        parse_range(text)
    err = info.value
    assert err.code == "invalid_version"
    assert repr(text) in err.message
    assert err.hint is not None and "^1.2.3" in err.hint


def test_numbers_past_npm_limit_are_rejected() -> None:
    # ^9007199254740991.0.0 desugars to an upper bound past 2**53 - 1, which npm refuses.
    with pytest.raises(VersionError) as info:
        parse_range("^9007199254740991.0.0")
    assert info.value.hint is not None and "9007199254740991" in info.value.hint


def test_non_string_range_is_a_version_error() -> None:
    with pytest.raises(VersionError):
        parse_range(["^1"])  # type: ignore[arg-type]


def test_comparators_expose_the_desugaring() -> None:
    assert parse_range("^1.2.3 || 1.0.0").comparators == (
        ((">=", V("1.2.3")), ("<", V("2.0.0-0"))),
        (("", V("1.0.0")),),
    )
    assert parse_range("*").comparators == ((("", None),),)
