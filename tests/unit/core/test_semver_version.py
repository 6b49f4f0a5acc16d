"""Versions: strict SemVer 2.0.0 parsing, canonical text, precedence order."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import pytest

from tank.core.errors import VersionError
from tank.core.semver import Version, parse_version


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("0.0.0", (0, 0, 0, (), ())),
        ("1.2.3", (1, 2, 3, (), ())),
        ("10.20.30", (10, 20, 30, (), ())),
        ("1.0.0-alpha", (1, 0, 0, ("alpha",), ())),
        ("1.0.0-alpha.1", (1, 0, 0, ("alpha", 1), ())),
        ("1.0.0-0.3.7", (1, 0, 0, (0, 3, 7), ())),
        ("1.0.0-x.7.z.92", (1, 0, 0, ("x", 7, "z", 92), ())),
        ("1.0.0-x-y-z.--", (1, 0, 0, ("x-y-z", "--"), ())),
        ("1.0.0-1a", (1, 0, 0, ("1a",), ())),
        ("1.0.0+20130313144700", (1, 0, 0, (), ("20130313144700",))),
        ("1.0.0-beta+exp.sha.5114f85", (1, 0, 0, ("beta",), ("exp", "sha", "5114f85"))),
        ("1.0.0+001", (1, 0, 0, (), ("001",))),
        ("9007199254740991.0.0", (2**53 - 1, 0, 0, (), ())),
    ],
)
def test_parse_valid(text: str, parts: tuple[object, ...]) -> None:
    v = parse_version(text)
    assert (v.major, v.minor, v.patch, v.prerelease, v.build) == parts
    assert str(v) == text
    assert Version.parse(text) == v


@pytest.mark.parametrize(
    ("text", "hint_part"),
    [
        ("1.2", "all three numbers"),
        ("1", "all three numbers"),
        ("v1.2.3", "drop the leading 'v'"),
        ("=1.2.3", "drop the leading '='"),
        (" 1.2.3", "whitespace"),
        ("1.2.3\n", "whitespace"),
        ("01.2.3", "leading zeros"),
        ("1.02.3", "leading zeros"),
        ("1.2.3-01", "MAJOR.MINOR.PATCH"),
        ("1.2.3-", "MAJOR.MINOR.PATCH"),
        ("1.2.3+", "MAJOR.MINOR.PATCH"),
        ("1.2.3-a..b", "MAJOR.MINOR.PATCH"),
        ("1.2.3.4", "MAJOR.MINOR.PATCH"),
        ("1.2.x", "MAJOR.MINOR.PATCH"),
        ("１.2.3", "MAJOR.MINOR.PATCH"),  # non-ASCII digit
        ("1.2.3-ß", "MAJOR.MINOR.PATCH"),
        ("", "MAJOR.MINOR.PATCH"),
        ("9007199254740992.0.0", "between 0 and"),
        ("1.0.0-" + "a" * 260, "shorter"),
    ],
)
def test_parse_invalid_explains(text: str, hint_part: str) -> None:
    with pytest.raises(VersionError) as info:
        parse_version(text)
    assert info.value.code == "invalid_version"
    assert info.value.hint is not None
    assert hint_part in info.value.hint


def test_parse_rejects_non_strings() -> None:
    with pytest.raises(VersionError):
        parse_version(123)  # type: ignore[arg-type]


def test_constructor_validates_and_normalises() -> None:
    assert Version(1, 0, 0, ("rc", "1")) == parse_version("1.0.0-rc.1")
    assert Version(1, 0, 0, ("rc", "1")).prerelease == ("rc", 1)
    bad_calls: list[Callable[[], object]] = [
        lambda: Version(-1, 0, 0),
        lambda: Version(1, 0, 0, ("01",)),
        lambda: Version(1, 0, 0, ("",)),
        lambda: Version(1, 0, 0, (-1,)),
        lambda: Version(1, 0, 0, (), ("a b",)),
        lambda: Version(True, 0, 0),
    ]
    for bad in bad_calls:
        with pytest.raises(VersionError):
            bad()


def test_semver_spec_precedence_example() -> None:
    # SemVer 2.0.0 §11, verbatim.
    chain = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
        "2.0.0",
        "2.1.0",
        "2.1.1",
    ]
    versions = [parse_version(t) for t in chain]
    shuffled = versions[5:] + versions[:5]
    assert sorted(shuffled) == versions
    for a, b in pairwise(versions):
        assert a < b and b > a and a <= b and b >= a and a != b


def test_build_metadata_ignored_for_equality_and_order() -> None:
    a, b = parse_version("1.0.0+a"), parse_version("1.0.0+b")
    assert a == b and hash(a) == hash(b) and not a < b and not b < a
    assert str(a) == "1.0.0+a"
    assert a.without_build() == a and str(a.without_build()) == "1.0.0"
    assert len({a, b, parse_version("1.0.0")}) == 1


def test_properties() -> None:
    v = parse_version("1.2.3-rc.1+b")
    assert v.is_prerelease and v.release == (1, 2, 3)
    assert not parse_version("1.2.3").is_prerelease
    assert repr(v) == "Version.parse('1.2.3-rc.1+b')"
    assert v != "1.2.3-rc.1"
    with pytest.raises(TypeError):
        _ = v < "1.2.3"  # type: ignore[operator]
