"""Trail replay: redoing cheaply what a backjump undid but did not invalidate.

When conflict resolution learns a fact about the project itself, PubGrub backjumps to level 1
and would re-decide every package decided since, re-running unit propagation for each, though
almost all of that work is unrelated to the conflict. Instead the undone assignments are saved
and, once the packages that took part in conflicts have been decided again, re-applied in
their old order (in the spirit of SAT solvers' "trail saving", Hickey & Bacchus 2020):

* a saved **decision** is re-made when its package is still undecided and its version is
  still allowed; otherwise it is skipped;
* a saved **derivation** is re-made only when its cause is still almost satisfied (every other
  term holds, its own is inconclusive), so the trail stays a valid chain of derivations and
  conflict resolution over it stays sound; otherwise it is skipped.

Replay skips unit propagation, so afterwards the solver propagates from every package whose
knowledge may differ from the saved state: the saved state was a propagation fixpoint, so an
incompatibility can only have become unit or satisfied if it mentions such a package, or was
added after that fixpoint. The final answer is therefore exactly as checked as without replay.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tank.core.resolver.incompatibility import Incompatibility
from tank.core.resolver.partial_solution import Assignment, PartialSolution
from tank.core.resolver.term import INCONCLUSIVE, SATISFIED, Term
from tank.core.semver.version import Version

__all__ = ["SavedTrail", "replay"]


class SavedTrail:
    """Assignments undone by a backjump, as they stood at the last propagation fixpoint."""

    __slots__ = ("known", "level", "log_mark", "start", "steps")

    def __init__(
        self,
        undone: list[tuple[Assignment, Term]],
        level: int,
        start: int,
        mark: tuple[int, int],
    ) -> None:
        # Only assignments made before the last fixpoint (``mark``: trail length and number
        # of incompatibilities then) are replayed: the ones after it led to the conflict.
        self.level = level  # the level backjumped to
        self.start = start  # trail length right after the backjump
        self.log_mark = mark[1]
        self.steps: list[tuple[Assignment, Version | None]] = []
        # What was known about each package at the fixpoint.
        self.known: dict[str, Term] = {}
        for assignment, accumulated in reversed(undone):
            if assignment.index >= mark[0]:
                break
            term = assignment.term
            version = term.versions.lowest if assignment.cause is None else None
            self.steps.append((assignment, version))
            self.known[term.package] = accumulated


def replay(
    saved: SavedTrail,
    solution: PartialSolution,
    relation: Callable[[Term], int],
    late: Sequence[Incompatibility],
) -> list[str]:
    """Re-apply ``saved`` to ``solution``; return the packages to propagate from, sorted.

    ``relation`` is the solver's (cached) relation of a term to the solution; ``late`` are
    the incompatibilities added since the saved fixpoint.
    """
    known = solution.known
    decisions = solution.decisions
    # Packages that learned something new since the backjump (not a replayed assignment).
    dirty = solution.packages_since(saved.start)
    for assignment, version in saved.steps:
        term = assignment.term
        package = term.package
        cause = assignment.cause
        if cause is None:
            assert version is not None
            now = known.get(package)
            if (
                package not in decisions
                and now is not None
                and now.positive
                and now.versions.contains(version)
            ):
                solution.decide(package, version)
            continue
        for t in cause.terms:
            if relation(t) != (INCONCLUSIVE if t.package == package else SATISFIED):
                break
        else:
            solution.derive(term, cause)
    for package, old in saved.known.items():
        now = known.get(package)
        if now is not old and (now is None or now != old):
            dirty.add(package)
    for incompatibility in late:
        for t in incompatibility.terms:
            dirty.add(t.package)
    return sorted(dirty)
