"""VersionSet: constructors, algebra laws, canonical form and rendering."""

from __future__ import annotations

import pytest

from tank.core.semver import MIN_VERSION, VersionSet, parse_version, successor

V = parse_version


def test_constructors_contain_what_they_say() -> None:
    v = V("1.2.3")
    cases = {
        "exact": (VersionSet.exact(v), ["1.2.3"], ["1.2.2", "1.2.3-0", "1.2.4-0"]),
        "at_least": (VersionSet.at_least(v), ["1.2.3", "9.0.0"], ["1.2.3-rc.1", "1.2.2"]),
        "greater_than": (VersionSet.greater_than(v), ["1.2.4-0", "1.2.4"], ["1.2.3"]),
        "at_most": (VersionSet.at_most(v), ["1.2.3", "0.0.0-0"], ["1.2.4-0", "1.2.4"]),
        "less_than": (VersionSet.less_than(v), ["1.2.3-rc.1", "0.0.0"], ["1.2.3"]),
        "between": (VersionSet.between(v, V("2.0.0")), ["1.2.3", "1.9.9"], ["2.0.0", "1.2.2"]),
    }
    for name, (vs, inside, outside) in cases.items():
        for t in inside:
            assert vs.contains(V(t)), (name, t)
            assert V(t) in vs
        for t in outside:
            assert not vs.contains(V(t)), (name, t)


def test_empty_and_full() -> None:
    e, f = VersionSet.empty(), VersionSet.full()
    assert e.is_empty and not e.is_full and f.is_full and not f.is_empty
    assert e.complement() == f and f.complement() == e
    assert f.contains(MIN_VERSION) and not e.contains(MIN_VERSION)
    assert VersionSet.between(V("2.0.0"), V("1.0.0")).is_empty
    assert VersionSet.less_than(MIN_VERSION).is_empty
    assert VersionSet.at_least(MIN_VERSION).is_full


def test_successor_is_immediate() -> None:
    assert successor(V("1.2.3")) == V("1.2.4-0")
    assert successor(V("1.2.3-rc.1")) == V("1.2.3-rc.1.0")
    # Nothing lies between v and its successor, so these sets are empty and canonical.
    assert VersionSet.between(V("1.0.0"), V("1.0.1-0")) == VersionSet.exact(V("1.0.0"))
    assert (
        VersionSet.greater_than(V("1.0.0"))
        .intersection(VersionSet.less_than(V("1.0.1-0")))
        .is_empty
    )
    assert VersionSet.greater_than(V("1.0.0")) == VersionSet.at_least(V("1.0.1-0"))
    assert VersionSet.at_most(V("1.0.0")) == VersionSet.less_than(V("1.0.1-0"))


def test_build_metadata_does_not_matter() -> None:
    assert VersionSet.exact(V("1.0.0+a")) == VersionSet.exact(V("1.0.0"))
    assert str(VersionSet.at_least(V("1.0.0+a"))) == ">=1.0.0"


def test_union_intersection_difference() -> None:
    a = VersionSet.between(V("1.0.0"), V("2.0.0"))
    b = VersionSet.between(V("1.5.0"), V("3.0.0"))
    assert a.union(b) == VersionSet.between(V("1.0.0"), V("3.0.0"))
    assert a.intersection(b) == VersionSet.between(V("1.5.0"), V("2.0.0"))
    assert a.difference(b) == VersionSet.between(V("1.0.0"), V("1.5.0"))
    assert (a | b) == a.union(b) and (a & b) == a.intersection(b)
    assert (a - b) == a.difference(b) and ~a == a.complement()
    touching = VersionSet.between(V("2.0.0"), V("3.0.0"))
    assert a.union(touching) == VersionSet.between(V("1.0.0"), V("3.0.0"))  # merged
    assert a.is_disjoint(touching) and not a.is_disjoint(b)
    assert VersionSet.exact(V("1.2.0")).subset_of(a) and not a.subset_of(b)
    assert len(a.union(VersionSet.exact(V("5.0.0"))).intervals) == 2


def test_laws_on_examples() -> None:
    sets = [
        VersionSet.empty(),
        VersionSet.full(),
        VersionSet.exact(V("1.0.0")),
        VersionSet.between(V("1.0.0"), V("2.0.0")),
        VersionSet.at_least(V("1.5.0-rc.1")),
        VersionSet.less_than(V("1.2.0")).union(VersionSet.at_least(V("3.0.0"))),
    ]
    for a in sets:
        assert a.complement().complement() == a
        assert a.union(a.complement()).is_full and a.intersection(a.complement()).is_empty
        for b in sets:
            # De Morgan, commutativity, absorption, difference as intersection.
            assert a.union(b).complement() == a.complement().intersection(b.complement())
            assert a.intersection(b).complement() == a.complement().union(b.complement())
            assert a.union(b) == b.union(a) and a.intersection(b) == b.intersection(a)
            assert a.union(a.intersection(b)) == a and a.intersection(a.union(b)) == a
            assert a.difference(b) == a.intersection(b.complement())
            assert a.subset_of(b) == (a.union(b) == b)
            assert hash(a.union(b)) == hash(b.union(a))


@pytest.mark.parametrize(
    ("vs", "text"),
    [
        (VersionSet.empty(), "<empty>"),
        (VersionSet.full(), "*"),
        (VersionSet.exact(V("3.0.0")), "3.0.0"),
        (VersionSet.between(V("1.2.0"), V("2.0.0")), ">=1.2.0 <2.0.0"),
        (VersionSet.between(V("1.2.0"), V("2.0.0-0")), ">=1.2.0 <2.0.0-0"),
        (VersionSet.at_most(V("1.2.3")), "<=1.2.3"),
        (VersionSet.greater_than(V("1.2.3")), ">1.2.3"),
        (VersionSet.less_than(V("1.0.0")), "<1.0.0"),
        (
            VersionSet.between(V("1.2.0"), V("2.0.0")).union(VersionSet.exact(V("3.0.0"))),
            ">=1.2.0 <2.0.0 || 3.0.0",
        ),
    ],
)
def test_rendering(vs: VersionSet, text: str) -> None:
    assert str(vs) == text
    assert repr(vs) == f"VersionSet({text!r})"


def test_intervals_and_lowest() -> None:
    vs = VersionSet.between(V("1.0.0"), V("2.0.0")).union(VersionSet.at_least(V("3.0.0")))
    assert vs.intervals == ((V("1.0.0"), V("2.0.0")), (V("3.0.0"), None))
    assert vs.lowest == V("1.0.0") and VersionSet.empty().lowest is None


def test_unsorted_bounds_are_rejected() -> None:
    with pytest.raises(ValueError, match="sorted"):
        VersionSet((V("2.0.0"), V("1.0.0")))
