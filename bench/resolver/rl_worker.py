"""Resolve one scenario with resolvelib (run in a subprocess so the runner can time it out).

python bench/resolver/rl_worker.py GRAPH_JSON SCENARIO   # prints seconds and outcome
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from resolvelib import AbstractProvider, BaseReporter, Resolver
from resolvelib.resolvers import ResolutionImpossible

sys.path.insert(0, str(Path(__file__).resolve().parent))
from graphio import load

from tank.core.semver import Range, Version, parse_range, parse_version


class Req:
    __slots__ = ("name", "spec")

    def __init__(self, name: str, spec: Range) -> None:
        self.name, self.spec = name, spec


class Cand:
    __slots__ = ("name", "raw", "version")

    def __init__(self, name: str, version: Version, raw: str) -> None:
        self.name, self.version, self.raw = name, version, raw


class GraphProvider(AbstractProvider):  # type: ignore[misc]
    def __init__(self, graph: dict[str, dict[str, dict[str, str]]]) -> None:
        self.graph = graph
        self.cands: dict[str, list[Cand]] = {}
        self.ranges: dict[str, Range] = {}

    def _range(self, text: str) -> Range:
        found = self.ranges.get(text)
        if found is None:
            found = self.ranges[text] = parse_range(text)
        return found

    def _candidates(self, name: str) -> list[Cand]:
        found = self.cands.get(name)
        if found is None:
            found = [Cand(name, parse_version(v), v) for v in self.graph.get(name, {})]
            found.sort(key=lambda c: c.version, reverse=True)
            self.cands[name] = found
        return found

    def identify(self, requirement_or_candidate: Req | Cand) -> str:
        return requirement_or_candidate.name

    def get_preference(
        self,
        identifier: str,
        resolutions: Mapping[str, Cand],
        candidates: Mapping[str, Iterator[Cand]],
        information: Mapping[str, Iterator[Any]],
        backtrack_causes: Sequence[Any],
    ) -> Any:
        return (sum(1 for _ in candidates[identifier]), identifier)

    def find_matches(
        self,
        identifier: str,
        requirements: Mapping[str, Iterator[Req]],
        incompatibilities: Mapping[str, Iterator[Cand]],
    ) -> Iterable[Cand]:
        reqs = list(requirements[identifier])
        bad = {c.version for c in incompatibilities[identifier]}
        return [
            c
            for c in self._candidates(identifier)
            if c.version not in bad and all(r.spec.contains(c.version) for r in reqs)
        ]

    def is_satisfied_by(self, requirement: Req, candidate: Cand) -> bool:
        return requirement.spec.contains(candidate.version)

    def get_dependencies(self, candidate: Cand) -> list[Req]:
        deps = self.graph[candidate.name][candidate.raw]
        return [Req(d, self._range(r)) for d, r in deps.items()]


def main() -> None:
    data = load(Path(sys.argv[1]))
    roots = data["scenarios"][sys.argv[2]]
    provider = GraphProvider(data["graph"])
    start = time.perf_counter()
    try:
        result = Resolver(provider, BaseReporter()).resolve(
            [Req(n, parse_range(r)) for n, r in roots.items()], max_rounds=10**7
        )
        outcome = f"{len(result.mapping)} skills"
    except ResolutionImpossible:
        outcome = "no solution"
    print(json.dumps({"seconds": time.perf_counter() - start, "outcome": outcome}))


if __name__ == "__main__":
    main()
