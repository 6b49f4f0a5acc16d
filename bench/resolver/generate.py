"""Synthetic skill graphs for the resolver benchmark (seeded, so every run sees the same data).

The main graph has 1,000 skills x 20 versions (1.0.0-1.9.0 and 2.0.0-2.9.0), each version
with 3 caret dependencies on later skills (so the graph has no cycles). Dependency ranges
change every 5 versions, as real skills keep their dependencies across patch releases.
Small extra families of skills build the backtracking and the unsatisfiable scenarios.

    python bench/resolver/generate.py          # writes bench/.work/graph.json
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

SEED = 20240611
SKILLS = 1000
DEPS = 3
WORK = Path(__file__).resolve().parent.parent / ".work"

Graph = dict[str, dict[str, dict[str, str]]]


def bench_name(i: int) -> str:
    return f"@bench/p{i:04d}"


def _main_graph(rng: random.Random) -> Graph:
    graph: Graph = {}
    versions = [f"{major}.{minor}.0" for major in (1, 2) for minor in range(10)]
    for i in range(SKILLS):
        pool = list(range(i + 1, min(SKILLS, i + 150)))
        targets = rng.sample(pool, min(DEPS, len(pool)))
        entry: dict[str, dict[str, str]] = {}
        for run in range(0, len(versions), 5):
            major = versions[run].split(".")[0]
            deps = {bench_name(t): f"^{major}.{rng.randrange(10)}.0" for t in targets}
            for v in versions[run : run + 5]:
                entry[v] = deps
        graph[bench_name(i)] = entry
    return graph


def _backtracking(rng: random.Random, graph: Graph, families: int) -> None:
    # x_k's newest versions need z_k at ever higher majors while y_k pins z_k ^1: the solver
    # must step back through x_k's versions two at a time to the oldest run.
    for k in range(families):
        x, y, z = f"@bt/x{k}", f"@bt/y{k}", f"@bt/z{k}"
        extra = bench_name(rng.randrange(SKILLS))
        graph[x] = {f"1.{m}.0": {z: f"^{m // 2 + 1}.0.0", extra: "^2.0.0"} for m in range(20)}
        graph[y] = {f"1.{m}.0": {z: "^1.0.0"} for m in range(20)}
        graph[z] = {f"{major}.{minor}.0": {} for major in range(1, 11) for minor in range(2)}


def _deep_conflict(rng: random.Random, graph: Graph, depth: int) -> None:
    # Two chains of `depth` skills (20 versions each, every one with a side dependency on
    # the main graph) that end on incompatible majors of one skill.
    for chain, major in (("a", 1), ("b", 2)):
        for level in range(depth):
            nxt = f"@deep/{chain}{level + 1}" if level + 1 < depth else "@deep/shared"
            spec = "^1.0.0" if level + 1 < depth else f"^{major}.0.0"
            side = bench_name(rng.randrange(SKILLS))
            deps = {nxt: spec, side: "^2.0.0"}
            graph[f"@deep/{chain}{level}"] = {f"1.{m}.0": deps for m in range(20)}
    graph["@deep/shared"] = {f"{major}.{m}.0": {} for major in (1, 2) for m in range(10)}


def _roots(rng: random.Random, count: int) -> dict[str, str]:
    names = sorted(rng.sample(range(SKILLS), count))
    return {
        bench_name(i): rng.choice(["^2.0.0", ">=1.0.0", f"^2.{rng.randrange(5)}.0"]) for i in names
    }


def build() -> dict[str, object]:
    """The graph and the four scenarios (name -> root requirements)."""
    rng = random.Random(SEED)
    graph = _main_graph(rng)
    _backtracking(rng, graph, families=10)
    _deep_conflict(rng, graph, depth=6)
    backtracking = _roots(rng, 20)
    for k in range(10):
        backtracking[f"@bt/x{k}"] = "^1.0.0"
        backtracking[f"@bt/y{k}"] = "^1.0.0"
    unsatisfiable = _roots(rng, 20) | {"@deep/a0": "^1.0.0", "@deep/b0": "^1.0.0"}
    scenarios = {
        "20 roots": _roots(rng, 20),
        "1,000 roots": {bench_name(i): "^2.0.0" for i in range(SKILLS)},
        "backtracking": backtracking,
        "deep conflict (unsatisfiable)": unsatisfiable,
    }
    return {"seed": SEED, "graph": graph, "scenarios": scenarios, "order": list(scenarios)}


def write(path: Path = WORK / "graph.json") -> Path:
    """Write the data set as JSON (sorted keys: the same seed gives the same bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(build(), sort_keys=True, indent=1) + "\n")
    return path


if __name__ == "__main__":
    print(write(Path(sys.argv[1]) if len(sys.argv) > 1 else WORK / "graph.json"))
