"""Property tests: union, budget, coverage and change classification agree with each other."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tank.core.permissions import (
    FilesystemPermission,
    NetworkPermission,
    PermissionChange,
    Permissions,
    check_budget,
    classify_change,
    diff,
    domain_covered,
    domain_matches,
    fits,
    path_covered,
    path_matches,
    union,
)

LABELS = ["a", "b", "acme", "dev", "x1"]
SEGMENTS = ["a", "b", "docs", "*", "**", "?", "*.md", "a*", "?*", "*a", "x.md"]
NAMES = ["a", "b", "docs", "x.md", "ab", "ba", ".env", "a.md"]

hosts = st.lists(st.sampled_from(LABELS), min_size=1, max_size=4).map(".".join)
domain_patterns = st.one_of(
    st.just("*"),
    hosts,
    hosts.map(lambda h: "*." + h),
    st.sampled_from(["10.0.0.1", "::1"]),
)
roots = st.sampled_from(["./", "~/"])
globs = st.builds(
    lambda root, segs: root + "/".join(segs),
    roots,
    st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=4),
)
concrete_paths = st.builds(
    lambda root, segs: root + "/".join(segs),
    roots,
    st.lists(st.sampled_from(NAMES), min_size=1, max_size=5),
)
secrets = st.sampled_from(["A", "B", "ACME_API_KEY", "_X"])

networks = st.one_of(
    st.none(),
    st.builds(
        NetworkPermission,
        outbound=st.lists(domain_patterns, max_size=3).map(tuple),
        inbound=st.booleans(),
        max_requests_per_minute=st.one_of(st.none(), st.integers(1, 1000)),
    ),
)
permissions = st.builds(
    Permissions,
    network=networks,
    filesystem=st.builds(
        FilesystemPermission,
        read=st.lists(globs, max_size=3).map(tuple),
        write=st.lists(globs, max_size=3).map(tuple),
    ),
    subprocess=st.booleans(),
    secrets=st.lists(secrets, max_size=3).map(tuple),
)


@given(st.lists(permissions, max_size=4))
def test_union_covers_each_input(items: list[Permissions]) -> None:
    combined = union(items)
    assert check_budget(combined, {str(i): x for i, x in enumerate(items)}) == []


@given(permissions)
def test_budget_of_itself_has_no_violations(x: Permissions) -> None:
    assert check_budget(x, {"self": x}) == []
    assert fits(x, x)


@given(permissions, permissions)
def test_union_laws(x: Permissions, y: Permissions) -> None:
    assert union([x]) == x
    assert union([x, x]) == x
    assert union([x, y]) == union([y, x])
    assert union([x, Permissions.none()]) == x


@given(permissions, permissions, permissions)
def test_union_is_associative(x: Permissions, y: Permissions, z: Permissions) -> None:
    assert union([union([x, y]), z]) == union([x, union([y, z])])


@given(permissions)
def test_json_round_trip(x: Permissions) -> None:
    assert Permissions.from_json(x.to_json()) == x


@given(permissions)
def test_no_change_from_itself(x: Permissions) -> None:
    assert classify_change(x, x) is PermissionChange.NONE
    assert diff(x, x).is_empty


@given(permissions, permissions)
def test_shrinking_to_a_part_is_never_additive(x: Permissions, y: Permissions) -> None:
    assert classify_change(union([x, y]), x) in {PermissionChange.NONE, PermissionChange.REMOVAL}


@given(permissions, permissions)
def test_a_change_that_fits_the_old_set_adds_nothing(x: Permissions, y: Permissions) -> None:
    # If y fits in x's budget, moving from x to y widens nothing.
    if fits(y, x):
        assert classify_change(x, y) in {PermissionChange.NONE, PermissionChange.REMOVAL}
    else:
        assert classify_change(x, y) in {
            PermissionChange.ADDITIVE,
            PermissionChange.ADDITIVE_DANGEROUS,
        }


@given(permissions, permissions)
def test_dangerous_change_only_when_new_is_dangerous(x: Permissions, y: Permissions) -> None:
    if classify_change(x, y) is PermissionChange.ADDITIVE_DANGEROUS:
        assert y.is_dangerous


@given(domain_patterns)
def test_domain_coverage_is_reflexive(a: str) -> None:
    assert domain_covered(a, a)


@given(domain_patterns, domain_patterns, domain_patterns)
def test_domain_coverage_is_transitive(a: str, b: str, c: str) -> None:
    if domain_covered(a, b) and domain_covered(b, c):
        assert domain_covered(a, c)


@given(domain_patterns, domain_patterns, hosts)
def test_domain_coverage_is_sound(a: str, b: str, host: str) -> None:
    if domain_covered(a, b) and domain_matches(a, host):
        assert domain_matches(b, host)


@given(globs)
def test_path_coverage_is_reflexive(a: str) -> None:
    assert path_covered(a, a)


@settings(max_examples=300)
@given(globs, globs, globs)
def test_path_coverage_is_transitive(a: str, b: str, c: str) -> None:
    if path_covered(a, b) and path_covered(b, c):
        assert path_covered(a, c)


@settings(max_examples=300)
@given(globs, globs, concrete_paths)
def test_path_coverage_is_sound(a: str, b: str, path: str) -> None:
    if path_covered(a, b) and path_matches(a, path):
        assert path_matches(b, path)


@given(globs, concrete_paths)
def test_a_concrete_path_is_covered_exactly_when_matched(a: str, path: str) -> None:
    # For a path without wildcards, the conservative check is exact.
    assert path_covered(path, a) == path_matches(a, path)


@given(concrete_paths)
def test_root_globs_cover_their_root_only(path: str) -> None:
    root = path[:2]
    assert path_covered(path, root + "**")
    other = "~/" if root == "./" else "./"
    assert not path_covered(path, other + "**")
