"""The partial solution: the solver's current, ordered list of decisions and derivations.

Besides the flat assignment list (which backtracking truncates), each package keeps its own
history of ``(assignment, accumulated term)`` pairs, so that "what do we know about p" is one
dict lookup and "which assignment first satisfied this term" scans only p's assignments.
"""

from __future__ import annotations

from tank.core.resolver.incompatibility import Incompatibility
from tank.core.resolver.setops import relation, satisfies
from tank.core.resolver.term import INCONCLUSIVE, Term
from tank.core.semver.version import Version
from tank.core.semver.version_set import VersionSet

__all__ = ["Assignment", "PartialSolution"]


class Assignment:
    """One decision (``cause`` is None) or derivation, at a decision level and position."""

    __slots__ = ("cause", "index", "level", "term")

    def __init__(self, term: Term, level: int, index: int, cause: Incompatibility | None) -> None:
        self.term = term
        self.level = level
        self.index = index
        self.cause = cause

    @property
    def is_decision(self) -> bool:
        """True when the solver chose this (rather than derived it)."""
        return self.cause is None


class PartialSolution:
    """Assignments in order, with per-package accumulated knowledge."""

    __slots__ = (
        "_assignments",
        "_decision_terms",
        "_history",
        "_intersections",
        "changed",
        "decisions",
        "known",
        "level",
    )

    def __init__(self) -> None:
        self._assignments: list[Assignment] = []
        self._history: dict[str, list[tuple[Assignment, Term]]] = {}
        # package -> intersection of all its assignments' terms (what we know about it).
        self.known: dict[str, Term] = {}
        self.decisions: dict[str, Version] = {}
        self.level = 0
        # Packages whose knowledge changed since the solver last looked (for its priority
        # queue); the solver clears it.
        self.changed: set[str] = set()
        # After a backjump the solver usually makes the same decisions and derivations again.
        # Reusing the very same Term objects for them (keyed by identity, the operands kept
        # alive in the value so ids stay unique) lets relation caches keyed by identity hit.
        self._decision_terms: dict[tuple[str, Version], Term] = {}
        self._intersections: dict[tuple[int, int], tuple[Term, Term, Term]] = {}

    def decide(self, package: str, version: Version) -> None:
        """Select ``version`` of ``package``, opening a new decision level."""
        self.level += 1
        self.decisions[package] = version
        key = (package, version)
        term = self._decision_terms.get(key)
        if term is None:
            term = self._decision_terms[key] = Term(package, VersionSet.exact(version))
        self._assign(Assignment(term, self.level, 0, None))

    def derive(self, term: Term, cause: Incompatibility) -> None:
        """Record that ``term`` must hold because of ``cause``."""
        self._assign(Assignment(term, self.level, 0, cause))

    def _assign(self, assignment: Assignment) -> None:
        assignment.index = len(self._assignments)
        self._assignments.append(assignment)
        package = assignment.term.package
        history = self._history.get(package)
        term = assignment.term
        if history is None:
            accumulated = term
            self._history[package] = [(assignment, accumulated)]
        else:
            if assignment.cause is None:
                # The solver only decides a version its positive knowledge allows, so the
                # intersection is the decision itself.
                accumulated = term
            else:
                previous = history[-1][1]
                key = (id(previous), id(term))
                cached = self._intersections.get(key)
                if cached is None:
                    accumulated = previous.intersect(term)
                    self._intersections[key] = (previous, term, accumulated)
                else:
                    accumulated = cached[2]
            history.append((assignment, accumulated))
        self.known[package] = accumulated
        self.changed.add(package)

    def backtrack(self, level: int) -> list[tuple[Assignment, Term]]:
        """Undo every assignment made above decision level ``level``.

        Returns the undone assignments, newest first, each with what was known about its
        package right after it (for :mod:`tank.core.resolver.replay`).
        """
        assignments = self._assignments
        undone: list[tuple[Assignment, Term]] = []
        while assignments and assignments[-1].level > level:
            assignment = assignments.pop()
            package = assignment.term.package
            history = self._history[package]
            undone.append(history.pop())
            if history:
                self.known[package] = history[-1][1]
            else:
                del self._history[package]
                del self.known[package]
            if assignment.cause is None:
                del self.decisions[package]
            self.changed.add(package)
        self.level = level
        return undone

    @property
    def size(self) -> int:
        """How many assignments the solution holds."""
        return len(self._assignments)

    def packages_since(self, start: int) -> set[str]:
        """The packages of the assignments from position ``start`` on."""
        return {a.term.package for a in self._assignments[start:]}

    def relation(self, term: Term) -> int:
        """SATISFIED / CONTRADICTED / INCONCLUSIVE: how the solution relates to ``term``."""
        known = self.known.get(term.package)
        if known is None:
            return INCONCLUSIVE
        return relation(term, known)

    def satisfier(self, term: Term) -> Assignment:
        """The earliest assignment after which the solution satisfies ``term``."""
        for assignment, accumulated in self._history[term.package]:
            if satisfies(accumulated, term):
                return assignment
        raise AssertionError(f"[bug] {term!r} is not satisfied by the partial solution")

    def undecided_positive(self, package: str) -> Term | None:
        """The positive knowledge about ``package`` if it still awaits a decision."""
        known = self.known.get(package)
        if known is None or not known.positive or package in self.decisions:
            return None
        return known
