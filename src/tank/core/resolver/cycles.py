"""Dependency cycles among resolved skills (skills must not form cycles)."""

from __future__ import annotations

from collections.abc import Mapping

from tank.core.semver.version import Version

__all__ = ["find_cycle"]


def find_cycle(
    versions: Mapping[str, Version], dependencies: Mapping[str, Mapping[str, Version]]
) -> list[str] | None:
    """A cycle as a path of names that starts and ends at the same skill, or None.

    Depth-first from each skill in name order, following dependencies in name order, so the
    same graph always reports the same cycle. Iterative: install trees can be deep.
    """
    done: set[str] = set()
    for start in sorted(versions):
        if start in done:
            continue
        # Stack of (node, iterator over its sorted dependencies); ``on_path`` mirrors it.
        path: list[str] = [start]
        on_path: dict[str, int] = {start: 0}
        iters = [iter(sorted(dependencies.get(start, {})))]
        while iters:
            child = next(iters[-1], None)
            if child is None:
                node = path.pop()
                del on_path[node]
                done.add(node)
                iters.pop()
                continue
            if child in on_path:
                return [*path[on_path[child] :], child]
            if child in done or child not in versions:
                continue
            on_path[child] = len(path)
            path.append(child)
            iters.append(iter(sorted(dependencies.get(child, {}))))
    return None
