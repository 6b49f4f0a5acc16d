"""The CLI's resolver wrapper: same answers as the core, collector state restored."""

from __future__ import annotations

import gc
from collections.abc import Mapping, Sequence

import pytest

from tank.client.resolving import gc_paused, resolve_for_install
from tank.core.errors import ResolutionError
from tank.core.resolver import resolve
from tank.core.semver import Range, Version, parse_range, parse_version


class Graph:
    def __init__(self, graph: dict[str, dict[str, dict[str, str]]]) -> None:
        self.graph = graph

    def versions(self, name: str) -> Sequence[Version]:
        return [parse_version(v) for v in self.graph.get(name, {})]

    def dependencies(self, name: str, version: Version) -> Mapping[str, Range]:
        return {k: parse_range(v) for k, v in self.graph[name][str(version)].items()}


GRAPH = Graph(
    {
        "@a/x": {"1.0.0": {"@a/y": "^1"}, "2.0.0": {"@a/y": "^2"}},
        "@a/y": {"1.0.0": {}, "1.5.0": {}, "2.0.0": {}},
    }
)


def test_same_answer_as_core() -> None:
    root = {"@a/x": parse_range("^1")}
    assert resolve_for_install(root, GRAPH) == resolve(root, GRAPH)


def test_collector_state_restored_on_success_and_failure() -> None:
    assert gc.isenabled()
    resolve_for_install({"@a/x": parse_range("*")}, GRAPH)
    assert gc.isenabled()
    with pytest.raises(ResolutionError):
        resolve_for_install({"@a/x": parse_range("^1"), "@a/y": parse_range("^2")}, GRAPH)
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # it was off before: stays off
    finally:
        gc.enable()
