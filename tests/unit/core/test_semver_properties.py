"""Property-based tests: version order, VersionSet algebra, Range matching."""

from __future__ import annotations

from functools import cmp_to_key

from hypothesis import given
from hypothesis import strategies as st

from tank.core.semver import Range, Version, VersionSet, parse_range, parse_version

_small = st.integers(min_value=0, max_value=3)
_ident = st.one_of(
    st.integers(min_value=0, max_value=12),
    st.sampled_from(["alpha", "beta", "rc", "a1", "1a", "x-y", "-", "Z"]),
)
_builds = st.lists(st.sampled_from(["b1", "sha", "001", "x-y"]), max_size=2).map(tuple)

versions = st.builds(
    Version,
    _small,
    _small,
    _small,
    st.one_of(st.just(()), st.lists(_ident, min_size=1, max_size=3).map(tuple)),
    _builds,
)


def spec_compare(a: Version, b: Version) -> int:
    """SemVer 2.0.0 §11 written out literally, as an oracle independent of sort_key."""
    if a.release != b.release:
        return -1 if a.release < b.release else 1
    if not a.prerelease or not b.prerelease:
        return (not a.prerelease) - (not b.prerelease)  # release > prerelease
    for x, y in zip(a.prerelease, b.prerelease, strict=False):
        if x == y:
            continue
        if isinstance(x, int) and isinstance(y, int):
            return -1 if x < y else 1
        if isinstance(x, int) != isinstance(y, int):
            return -1 if isinstance(x, int) else 1  # numeric < alphanumeric
        return -1 if str(x) < str(y) else 1
    return (len(a.prerelease) > len(b.prerelease)) - (len(a.prerelease) < len(b.prerelease))


def cmp(a: Version, b: Version) -> int:
    return (a > b) - (a < b)


@given(versions, versions)
def test_order_matches_spec_and_key(a: Version, b: Version) -> None:
    assert cmp(a, b) == spec_compare(a, b)
    assert (a < b) == (a.sort_key < b.sort_key)
    assert (a == b) == (a.sort_key == b.sort_key)
    if a == b:
        assert hash(a) == hash(b)
    assert (a == b) == (spec_compare(a, b) == 0)


@given(versions, versions, versions)
def test_order_is_total_and_transitive(a: Version, b: Version, c: Version) -> None:
    assert sum([a < b, a == b, a > b]) == 1
    if a <= b and b <= c:
        assert a <= c
    assert sorted([a, b, c]) == sorted([a, b, c], key=cmp_to_key(spec_compare))


@given(versions, _builds)
def test_build_is_ignored_and_text_round_trips(v: Version, build: tuple[str, ...]) -> None:
    other = Version(v.major, v.minor, v.patch, v.prerelease, build)
    assert other == v and hash(other) == hash(v) and not other < v
    assert parse_version(str(v)) == v and str(parse_version(str(v))) == str(v)


def _interval(lo: Version, hi: Version, kind: int) -> VersionSet:
    lo, hi = min(lo, hi), max(lo, hi)
    return [
        VersionSet.between(lo, hi),
        VersionSet.exact(lo),
        VersionSet.at_least(lo),
        VersionSet.greater_than(lo),
        VersionSet.at_most(hi),
        VersionSet.less_than(hi),
    ][kind]


intervals = st.builds(_interval, versions, versions, st.integers(min_value=0, max_value=5))


@st.composite
def sets(draw: st.DrawFn) -> VersionSet:
    out = VersionSet.empty()
    for part in draw(st.lists(intervals, max_size=3)):
        out = out.union(part) if draw(st.booleans()) else out.difference(part)
    return out


@given(sets(), sets(), versions)
def test_algebra_agrees_with_membership(a: VersionSet, b: VersionSet, v: Version) -> None:
    assert a.union(b).contains(v) == (a.contains(v) or b.contains(v))
    assert a.intersection(b).contains(v) == (a.contains(v) and b.contains(v))
    assert a.difference(b).contains(v) == (a.contains(v) and not b.contains(v))
    assert a.complement().contains(v) == (not a.contains(v))


@given(sets(), sets(), sets())
def test_algebra_laws(a: VersionSet, b: VersionSet, c: VersionSet) -> None:
    assert a.complement().complement() == a
    assert a.union(b).complement() == a.complement().intersection(b.complement())
    assert a.intersection(b).complement() == a.complement().union(b.complement())
    assert a.union(b) == b.union(a) and a.intersection(b) == b.intersection(a)
    assert a.union(b.union(c)) == a.union(b).union(c)
    assert a.intersection(b.union(c)) == a.intersection(b).union(a.intersection(c))
    assert a.union(a.intersection(b)) == a
    assert a.union(VersionSet.empty()) == a and a.intersection(VersionSet.full()) == a
    assert a.subset_of(a.union(b)) and a.intersection(b).subset_of(a)
    assert a.is_disjoint(b) == a.intersection(b).is_empty
    assert a.difference(b) == a.intersection(b.complement())


@given(sets())
def test_bounds_are_canonical(a: VersionSet) -> None:
    # Strictly increasing bounds, so structural equality is set equality.
    starts = [lo for lo, _ in a.intervals]
    ends = [hi for _, hi in a.intervals if hi is not None]
    points = [p for pair in zip(starts, [*ends, None], strict=False) for p in pair if p]
    assert points == sorted(points) and len(set(points)) == len(points)


_ops = st.sampled_from(["", "=", "^", "~", "~>", ">", ">=", "<", "<=", "v"])


@st.composite
def operand(draw: st.DrawFn) -> str:
    v = draw(versions)
    kind = draw(st.integers(min_value=0, max_value=3))
    if kind == 0:
        return str(v)
    parts = [str(v.major), str(v.minor), str(v.patch)][:kind]
    if kind < 3 and draw(st.booleans()):
        parts.append(draw(st.sampled_from(["x", "X", "*"])))
    return ".".join(parts)


@st.composite
def ranges(draw: st.DrawFn) -> Range:
    alternatives = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        if draw(st.integers(min_value=0, max_value=5)) == 0:
            alternatives.append(f"{draw(operand())} - {draw(operand())}")
        else:
            comps = draw(st.lists(st.tuples(_ops, operand()), min_size=1, max_size=3))
            alternatives.append(" ".join(op + text for op, text in comps))
    return parse_range(" || ".join(alternatives))


def _reference_contains(r: Range, v: Version) -> bool:
    """npm's testSet over the desugared comparators, written plainly."""
    for alt in r.comparators:
        ok = True
        for op, bound in alt:
            if bound is None:
                continue
            ok = (
                ok
                and {
                    "": v == bound,
                    ">": v > bound,
                    ">=": v >= bound,
                    "<": v < bound,
                    "<=": v <= bound,
                }[op]
            )
        if ok and v.prerelease:
            ok = any(b is not None and b.prerelease and b.release == v.release for _, b in alt)
        if ok:
            return True
    return False


@given(ranges(), versions)
def test_range_contains_matches_reference_and_decomposition(r: Range, v: Version) -> None:
    assert r.contains(v) == _reference_contains(r, v)
    assert r.contains(v) == (r.version_set.contains(v) and r.admits_prerelease(v))
    if not v.prerelease:
        assert r.contains(v) == r.version_set.contains(v)


@given(ranges())
def test_normalised_text_parses_to_the_same_range(r: Range) -> None:
    again = parse_range(str(r).replace("*", ""))
    assert again.version_set == r.version_set
