"""Property test: on random small graphs the resolver is sound, and complete by brute force."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from hypothesis import given, settings
from hypothesis import strategies as st

from tank.core.errors import ResolutionError
from tank.core.resolver import resolve
from tank.core.semver import Range, Version, parse_range, parse_version

NAMES = ("a", "b", "c", "d")
VERSIONS = ("1.0.0", "1.1.0", "1.2.0-beta.1", "1.2.0", "2.0.0-rc.1", "2.0.0", "2.1.0")
RANGES = (
    "*",
    "^1",
    "^1.1.0",
    "^2",
    ">=1.1.0",
    "<2",
    "1.0.0",
    "~1.2.0-beta.0",
    "^2.0.0-rc.0",
    ">=1.0.0 <1.2.0 || ^2.1.0",
    "^3",
)

Registry = dict[str, dict[Version, dict[str, Range]]]


class Provider:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    def versions(self, name: str) -> list[Version]:
        return list(self.registry.get(name, {}))

    def dependencies(self, name: str, version: Version) -> Mapping[str, Range]:
        return self.registry[name][version]


@st.composite
def graphs(draw: st.DrawFn) -> tuple[dict[str, Range], Registry]:
    registry: Registry = {}
    for index, name in enumerate(NAMES):
        chosen = draw(st.lists(st.sampled_from(VERSIONS), min_size=0, max_size=4, unique=True))
        # Dependencies point only to later names (skills must not form cycles) or to "zz",
        # which the registry does not know.
        later = [*NAMES[index + 1 :], "zz"]
        registry[name] = {
            parse_version(v): {
                dep: parse_range(draw(st.sampled_from(RANGES)))
                for dep in draw(st.lists(st.sampled_from(later), max_size=2, unique=True))
            }
            for v in chosen
        }
    root_names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique=True))
    root = {name: parse_range(draw(st.sampled_from(RANGES))) for name in root_names}
    return root, registry


def _satisfied(
    root: Mapping[str, Range], registry: Registry, chosen: Mapping[str, Version]
) -> bool:
    needs = [(root, None)] + [(registry[n][v], n) for n, v in chosen.items()]
    for deps, _ in needs:
        for dep, spec in deps.items():
            version = chosen.get(dep)
            if version is None or not spec.contains(version):
                return False
    return True


def _brute_force(root: Mapping[str, Range], registry: Registry) -> bool:
    options = [[None, *registry[name]] for name in NAMES]
    for combo in itertools.product(*options):
        chosen = {n: v for n, v in zip(NAMES, combo, strict=True) if v is not None}
        if _satisfied(root, registry, chosen):
            return True
    return False


@settings(max_examples=400, deadline=None)
@given(graphs())
def test_resolution_is_sound_and_complete(case: tuple[dict[str, Range], Registry]) -> None:
    root, registry = case
    try:
        result = resolve(root, Provider(registry))
    except ResolutionError as error:
        assert error.message
        assert not _brute_force(root, registry)
        return
    assert _satisfied(root, registry, result.versions)
    for name, deps in result.dependencies.items():
        assert deps == {d: result.versions[d] for d in registry[name][result.versions[name]]}


@settings(max_examples=100, deadline=None)
@given(graphs())
def test_resolution_is_deterministic(case: tuple[dict[str, Range], Registry]) -> None:
    root, registry = case

    def outcome() -> object:
        try:
            return resolve(root, Provider(registry))
        except ResolutionError as error:
            return error.message

    first = outcome()
    assert outcome() == first
    reversed_root = dict(reversed(list(root.items())))
    shuffled = {n: dict(reversed(list(vs.items()))) for n, vs in registry.items()}
    again = resolve(reversed_root, Provider(shuffled)) if not isinstance(first, str) else None
    if again is not None:
        assert again == first
