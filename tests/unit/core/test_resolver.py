"""PubGrub resolver: the classic examples, errors, prereleases, preferences, determinism."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from tank.core.errors import ResolutionError
from tank.core.resolver import Resolution, ResolutionFailure, resolve
from tank.core.resolver.report import MAX_LINES, truncate
from tank.core.semver import Range, Version, parse_range, parse_version

Graph = Mapping[str, Mapping[str, Mapping[str, str]]]


class DictProvider:
    """A registry in a dict; counts calls to check laziness and caching."""

    def __init__(self, graph: Graph) -> None:
        self.graph = {
            name: {
                parse_version(v): {d: parse_range(r) for d, r in deps.items()}
                for v, deps in versions.items()
            }
            for name, versions in graph.items()
        }
        self.calls: list[tuple[str, ...]] = []

    def versions(self, name: str) -> list[Version]:
        self.calls.append(("versions", name))
        return list(self.graph.get(name, {}))

    def dependencies(self, name: str, version: Version) -> Mapping[str, Range]:
        self.calls.append(("dependencies", name, str(version)))
        return self.graph[name][version]


def solve(
    root: Mapping[str, str], graph: Graph, preferred: Mapping[str, str] | None = None
) -> dict[str, str]:
    result = resolve(
        {k: parse_range(v) for k, v in root.items()},
        DictProvider(graph),
        preferred={k: parse_version(v) for k, v in (preferred or {}).items()},
    )
    return {k: str(v) for k, v in result.versions.items()}


def failure(root: Mapping[str, str], graph: Graph) -> ResolutionFailure:
    with pytest.raises(ResolutionFailure) as info:
        solve(root, graph)
    return info.value


# -- the examples of the PubGrub documentation -------------------------------------------------


def test_no_conflicts() -> None:
    graph = {"foo": {"1.0.0": {"bar": "^1.0.0"}}, "bar": {"1.0.0": {}, "2.0.0": {}}}
    assert solve({"foo": "^1.0.0"}, graph) == {"bar": "1.0.0", "foo": "1.0.0"}


def test_avoiding_conflict_during_decision_making() -> None:
    graph = {
        "foo": {"1.0.0": {}, "1.1.0": {"bar": "^2.0.0"}},
        "bar": {"1.0.0": {}, "1.1.0": {}, "2.0.0": {}},
    }
    assert solve({"foo": "^1.0.0", "bar": "^1.0.0"}, graph) == {"bar": "1.1.0", "foo": "1.0.0"}


def test_performing_conflict_resolution() -> None:
    graph = {
        "foo": {"1.0.0": {}, "2.0.0": {"bar": "^1.0.0"}},
        "bar": {"1.0.0": {"foo": "^1.0.0"}},
    }
    assert solve({"foo": ">=1.0.0"}, graph) == {"foo": "1.0.0"}


def test_conflict_resolution_with_a_partial_satisfier() -> None:
    graph = {
        "foo": {"1.0.0": {}, "1.1.0": {"left": "^1.0.0", "right": "^1.0.0"}},
        "left": {"1.0.0": {"shared": ">=1.0.0"}},
        "right": {"1.0.0": {"shared": "<2.0.0"}},
        "shared": {"2.0.0": {}, "1.0.0": {"target": "^1.0.0"}},
        "target": {"2.0.0": {}, "1.0.0": {}},
    }
    assert solve({"foo": "^1.0.0", "target": "^2.0.0"}, graph) == {
        "foo": "1.0.0",
        "target": "2.0.0",
    }


def test_linear_error_reporting() -> None:
    graph = {
        "foo": {"1.0.0": {"bar": "^2.0.0"}},
        "bar": {"2.0.0": {"baz": "^3.0.0"}},
        "baz": {"1.0.0": {}, "3.0.0": {}},
    }
    error = failure({"foo": "^1.0.0", "baz": "^1.0.0"}, graph)
    assert error.lines == (
        "Because all versions of foo depend on bar ^2.0.0 which depends on baz ^3.0.0, "
        "all versions of foo require baz ^3.0.0.",
        "So, because your project depends on both baz ^1.0.0 and foo ^1.0.0, "
        "version solving failed.",
    )
    assert error.message == "\n".join(error.lines)
    assert error.code == "resolution_failed"
    assert isinstance(error, ResolutionError)


def test_branching_error_reporting() -> None:
    graph = {
        "foo": {
            "1.0.0": {"a": "^1.0.0", "b": "^1.0.0"},
            "1.1.0": {"x": "^1.0.0", "y": "^1.0.0"},
        },
        "a": {"1.0.0": {"b": "^2.0.0"}},
        "b": {"1.0.0": {}, "2.0.0": {}},
        "x": {"1.0.0": {"y": "^2.0.0"}},
        "y": {"1.0.0": {}, "2.0.0": {}},
    }
    error = failure({"foo": "^1.0.0"}, graph)
    assert error.lines == (
        "    Because foo <1.1.0 depends on a ^1.0.0 which depends on b ^2.0.0, "
        "foo <1.1.0 requires b ^2.0.0.",
        "(1) So, because foo <1.1.0 depends on b ^1.0.0, foo <1.1.0 is forbidden.",
        "",
        "    Because foo >=1.1.0 depends on x ^1.0.0 which depends on y ^2.0.0, "
        "foo >=1.1.0 requires y ^2.0.0.",
        "    And because foo >=1.1.0 depends on y ^1.0.0, foo >=1.1.0 is forbidden.",
        "    And because foo <1.1.0 is forbidden (1), all versions of foo are forbidden.",
        "    So, because your project depends on foo ^1.0.0, version solving failed.",
    )


# -- errors ------------------------------------------------------------------------------------


def test_unknown_root_requirement() -> None:
    error = failure({"@acme/nope": "^1.0.0"}, {})
    assert error.message == "no skill named @acme/nope in the registry"
    assert error.code == "unknown_skill"
    assert error.hint


def test_unknown_transitive_dependency_is_explained() -> None:
    error = failure({"foo": "^1.0.0"}, {"foo": {"1.0.0": {"@acme/nope": "^1"}}})
    assert "@acme/nope ^1 which doesn't exist in the registry" in error.message
    assert error.lines[-1].endswith("version solving failed.")


def test_unknown_dependency_of_an_older_version_is_avoided() -> None:
    graph = {"foo": {"1.0.0": {}, "1.1.0": {"gone": "^1"}}}
    assert solve({"foo": "^1.0.0"}, graph) == {"foo": "1.0.0"}


def test_no_matching_versions() -> None:
    error = failure({"foo": "^2.0.0"}, {"foo": {"1.0.0": {}}})
    assert error.lines == (
        "Because your project depends on foo ^2.0.0 which doesn't match any versions, "
        "version solving failed.",
    )


def test_cycle_is_reported_with_its_path() -> None:
    graph = {"@a/x": {"1.0.0": {"@b/y": "^2"}}, "@b/y": {"2.1.0": {"@a/x": "^1"}}}
    with pytest.raises(ResolutionError) as info:
        solve({"@a/x": "^1.0.0"}, graph)
    assert info.value.code == "dependency_cycle"
    assert "@a/x 1.0.0 → @b/y 2.1.0 → @a/x 1.0.0" in info.value.message


def test_self_dependency_is_a_cycle() -> None:
    with pytest.raises(ResolutionError, match=r"a 1\.0\.0 → a 1\.0\.0"):
        solve({"a": "*"}, {"a": {"1.0.0": {"a": "^1"}}})


def test_cycle_avoided_by_the_chosen_versions_is_fine() -> None:
    graph = {"a": {"1.0.0": {"b": "^1"}}, "b": {"1.0.0": {}, "1.1.0": {"a": "^2"}}}
    # b 1.1.0 would need a 2.x (which does not exist): b 1.0.0 is chosen, no cycle.
    assert solve({"a": "^1"}, graph) == {"a": "1.0.0", "b": "1.0.0"}


def test_long_explanations_are_truncated() -> None:
    # A chain of 60 skills whose end conflicts with the project's own requirement.
    graph: dict[str, dict[str, dict[str, str]]] = {}
    for i in range(60):
        graph[f"p{i:02d}"] = {"1.0.0": {f"p{i + 1:02d}": "^1"}}
    graph["p60"] = {"1.0.0": {"end": "^1"}}
    graph["end"] = {"1.0.0": {}, "2.0.0": {}}
    error = failure({"p00": "^1", "end": "^2"}, graph)
    shown = error.message.splitlines()
    assert len(error.lines) > len(shown)
    assert len(shown) == MAX_LINES
    assert any("lines left out" in line for line in shown)
    assert shown[0] == error.lines[0]
    assert shown[-1] == error.lines[-1]
    assert error.detail == "\n".join(error.lines)


def test_truncate_keeps_head_and_tail() -> None:
    lines = [str(i) for i in range(100)]
    shown = truncate(lines, 9)
    assert shown == ["0", "1", "2", "3", "... (92 lines left out) ...", "96", "97", "98", "99"]
    assert truncate(lines[:5], 9) == lines[:5]


# -- prereleases -------------------------------------------------------------------------------


PRE = {"a": {"1.0.0": {}, "1.1.0-beta.1": {}, "1.2.0-rc.1": {}}}


def test_prerelease_not_chosen_unless_the_range_admits_it() -> None:
    assert solve({"a": "^1.0.0"}, PRE) == {"a": "1.0.0"}
    assert solve({"a": ">=1.0.0"}, PRE) == {"a": "1.0.0"}


def test_prerelease_chosen_when_the_range_names_it() -> None:
    assert solve({"a": "^1.1.0-beta.0"}, PRE) == {"a": "1.1.0-beta.1"}
    assert solve({"a": "1.2.0-rc.1"}, PRE) == {"a": "1.2.0-rc.1"}


def test_prerelease_admitted_by_one_range_but_not_another() -> None:
    graph = {
        "a": {"1.0.0": {}, "1.1.0-beta.1": {}},
        "b": {"1.0.0": {"a": ">=1.0.0"}},
    }
    # The project admits the beta, b's range does not: both must hold, so a 1.0.0.
    assert solve({"a": "^1.1.0-beta.0 || 1.0.0", "b": "^1"}, graph) == {"a": "1.0.0", "b": "1.0.0"}


def test_only_prereleases_published_reads_like_no_versions() -> None:
    error = failure({"a": "^1.0.0"}, {"a": {"1.1.0-beta.1": {}}})
    assert error.lines == (
        "Because your project depends on a ^1.0.0 which doesn't match any versions, "
        "version solving failed.",
    )


# -- preferences and determinism ---------------------------------------------------------------


def test_highest_version_is_chosen() -> None:
    graph = {"a": {"1.0.0": {}, "1.5.0": {}, "1.10.0": {}, "2.0.0": {}}}
    assert solve({"a": "^1"}, graph) == {"a": "1.10.0"}


def test_preferred_version_is_kept_when_allowed() -> None:
    graph = {"a": {"1.0.0": {}, "1.5.0": {}, "2.0.0": {}}}
    assert solve({"a": "^1"}, graph, preferred={"a": "1.0.0"}) == {"a": "1.0.0"}


def test_preferred_version_is_ignored_when_not_allowed_or_unpublished() -> None:
    graph = {"a": {"1.0.0": {}, "1.5.0": {}, "2.0.0": {}}}
    assert solve({"a": "^1"}, graph, preferred={"a": "2.0.0"}) == {"a": "1.5.0"}
    assert solve({"a": "^1"}, graph, preferred={"a": "1.2.0"}) == {"a": "1.5.0"}


def test_preferred_versions_of_transitive_skills() -> None:
    graph = {"a": {"1.0.0": {"b": "^1"}}, "b": {"1.0.0": {}, "1.1.0": {}}}
    assert solve({"a": "^1"}, graph, preferred={"b": "1.0.0"}) == {"a": "1.0.0", "b": "1.0.0"}


def test_same_input_same_output_including_dependencies() -> None:
    graph = {
        "a": {"1.0.0": {"c": "^1"}, "1.1.0": {"c": "^2", "d": "*"}},
        "b": {"1.0.0": {"c": "^1"}},
        "c": {"1.0.0": {}, "1.4.0": {}, "2.0.0": {}},
        "d": {"0.1.0": {}},
    }
    runs = [
        resolve({"a": parse_range("*"), "b": parse_range("*")}, DictProvider(graph))
        for _ in range(3)
    ]
    assert runs[0] == runs[1] == runs[2]
    assert runs[0] == Resolution(
        versions={
            "a": parse_version("1.0.0"),
            "b": parse_version("1.0.0"),
            "c": parse_version("1.4.0"),
        },
        dependencies={
            "a": {"c": parse_version("1.4.0")},
            "b": {"c": parse_version("1.4.0")},
            "c": {},
        },
    )


def test_root_requirement_order_does_not_matter() -> None:
    graph = {
        "a": {"1.0.0": {"c": "^1"}, "2.0.0": {"c": "^2"}},
        "b": {"1.0.0": {"c": "^1"}, "2.0.0": {"c": "^1"}},
        "c": {"1.0.0": {}, "2.0.0": {}},
    }
    first = solve({"a": "*", "b": "*"}, graph)
    second = solve({"b": "*", "a": "*"}, graph)
    assert first == second == {"a": "1.0.0", "b": "2.0.0", "c": "1.0.0"}


def test_fewest_candidates_are_decided_first() -> None:
    # Both a and b could go first; b has one candidate so it is decided first, which forces
    # c 1.x, so a's newest version (needing c 2.x) is never tried.
    graph = {
        "a": {"1.0.0": {"c": "^1"}, "1.1.0": {"c": "^2"}, "1.2.0": {"c": "^2"}},
        "b": {"1.0.0": {"c": "^1"}},
        "c": {"1.0.0": {}, "2.0.0": {}},
    }
    provider = DictProvider(graph)
    result = resolve({"a": parse_range("^1"), "b": parse_range("^1")}, provider)
    assert str(result.versions["a"]) == "1.0.0"
    asked = [c for c in provider.calls if c[0] == "dependencies" and c[1] == "a"]
    assert ("dependencies", "a", "1.2.0") not in asked or len(asked) <= 3


def test_provider_is_asked_each_question_once() -> None:
    graph = {
        "a": {"1.0.0": {"c": "^1"}, "2.0.0": {"c": "^2"}},
        "b": {"1.0.0": {"c": "^1"}},
        "c": {"1.0.0": {}, "2.0.0": {}},
    }
    provider = DictProvider(graph)
    resolve({"a": parse_range("*"), "b": parse_range("*")}, provider)
    assert len(provider.calls) == len(set(provider.calls))


def test_unused_skills_are_never_asked_about() -> None:
    provider = DictProvider({"a": {"1.0.0": {}}, "z": {"1.0.0": {}}})
    resolve({"a": parse_range("*")}, provider)
    assert all(call[1] != "z" for call in provider.calls)


def test_runs_of_identical_versions_merge_in_explanations() -> None:
    versions = {f"1.{i}.0": {"b": "^1"} for i in range(10)}
    graph = {"a": versions, "b": {"2.0.0": {}}}
    error = failure({"a": "^1"}, graph)
    assert error.lines == (
        "Because all versions of a depend on b ^1 which doesn't match any versions, "
        "all versions of a are forbidden.",
        "So, because your project depends on a ^1, version solving failed.",
    )


def test_empty_project_resolves_to_nothing() -> None:
    assert resolve({}, DictProvider({})) == Resolution({}, {})


def test_unrelated_decisions_survive_a_backjump_to_the_project() -> None:
    # u0..u3 (one candidate each, so decided first) are unrelated to the conflict between
    # x's newest versions and y: after the backjump to the project's level they are replayed
    # rather than re-decided, and the result is the same as deciding them afresh.
    graph: dict[str, dict[str, dict[str, str]]] = {
        f"u{i}": {"1.0.0": {f"u{i + 1}": "^1"} if i < 3 else {}} for i in range(4)
    }
    graph["x"] = {f"1.{m}.0": {"z": f"^{m // 2 + 1}"} for m in range(3)}
    graph["y"] = {f"1.{m}.0": {"z": "^1", "u2": "^1"} for m in range(4)}
    graph["z"] = {f"{major}.0.0": {} for major in range(1, 4)}
    result = solve({"u0": "^1", "x": "^1", "y": "^1"}, graph)
    assert result == {
        "u0": "1.0.0",
        "u1": "1.0.0",
        "u2": "1.0.0",
        "u3": "1.0.0",
        "x": "1.1.0",
        "y": "1.3.0",
        "z": "1.0.0",
    }
