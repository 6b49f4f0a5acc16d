"""Loading the benchmark data set and serving it to Tank's resolver."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tank.core.semver import Range, Version, parse_range, parse_version

Graph = dict[str, dict[str, dict[str, str]]]


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


class JsonProvider:
    """Serves the raw JSON graph, parsing versions and ranges lazily (as an HTTP provider
    parsing registry documents would), with a parse cache shared by equal range texts."""

    def __init__(self, graph: Graph) -> None:
        self._graph = graph
        self._ranges: dict[str, Range] = {}
        self._versions: dict[str, dict[Version, str]] = {}

    def versions(self, name: str) -> list[Version]:
        found = self._versions.get(name)
        if found is None:
            found = {parse_version(v): v for v in self._graph.get(name, {})}
            self._versions[name] = found
        return list(found)

    def dependencies(self, name: str, version: Version) -> Mapping[str, Range]:
        raw = self._graph[name][self._versions[name][version]]
        out: dict[str, Range] = {}
        for dep, text in raw.items():
            spec = self._ranges.get(text)
            if spec is None:
                spec = parse_range(text)
                self._ranges[text] = spec
            out[dep] = spec
        return out
