"""Terms: a statement about one package that a version assignment may satisfy.

A positive term ``p S`` says "p is selected, at a version in S". A negative term ``not p S``
says "p is not selected at a version in S" (it may be absent altogether). PubGrub works by
intersecting and comparing terms; every operation here is a constant number of interval-list
operations on :class:`~tank.core.semver.VersionSet`, never a loop over versions.
"""

from __future__ import annotations

from typing import Final

from tank.core.semver.version_set import VersionSet

__all__ = ["CONTRADICTED", "INCONCLUSIVE", "SATISFIED", "Term"]

# Plain ints rather than an Enum: relation() runs in the innermost loop of unit propagation
# and enum attribute lookups are measurably slower there.
SATISFIED: Final = 0
CONTRADICTED: Final = 1
INCONCLUSIVE: Final = 2


class Term:
    """``package`` restricted to ``versions``, positively or negatively. Immutable."""

    __slots__ = ("_negation", "package", "positive", "versions")

    package: str
    positive: bool
    versions: VersionSet
    _negation: Term | None

    def __init__(self, package: str, versions: VersionSet, positive: bool = True) -> None:
        self.package = package
        self.versions = versions
        self.positive = positive
        self._negation = None

    def negate(self) -> Term:
        """The term that holds exactly when this one does not (the same object each time).

        Returning one object lets the solver's caches, keyed by identity, recognise the same
        derivation when it is made again after a backjump.
        """
        found = self._negation
        if found is None:
            found = self._negation = Term(self.package, self.versions, not self.positive)
            found._negation = self
        return found

    def intersect(self, other: Term) -> Term:
        """The term that holds when both hold (same package)."""
        a, b = self.versions, other.versions
        if self.positive:
            if other.positive:
                return Term(self.package, a.intersection(b))
            return Term(self.package, a.difference(b))
        if other.positive:
            return Term(self.package, b.difference(a))
        # "not in a" and "not in b" is "not in a ∪ b" (and absence satisfies both).
        return Term(self.package, a.union(b), False)

    def union(self, other: Term) -> Term:
        """The term that holds when either holds (same package)."""
        a, b = self.versions, other.versions
        if self.positive:
            if other.positive:
                return Term(self.package, a.union(b))
            return Term(self.package, b.difference(a), False)
        if other.positive:
            return Term(self.package, a.difference(b), False)
        return Term(self.package, a.intersection(b), False)

    def difference(self, other: Term) -> Term | None:
        """``self`` and not ``other``; None when nothing satisfies that."""
        result = self.intersect(other.negate())
        if result.positive and result.versions.is_empty:
            return None
        return result

    @property
    def is_vacuous(self) -> bool:
        """True for ``not p <empty>``: every assignment satisfies it, so it says nothing."""
        return not self.positive and self.versions.is_empty

    def satisfies(self, other: Term) -> bool:
        """True when every assignment allowed by ``self`` is allowed by ``other``."""
        # The logic lives in setops (plain functions for the propagation loop); imported
        # here because setops imports this module.
        from tank.core.resolver.setops import satisfies

        return satisfies(self, other)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Term):
            return NotImplemented
        return (
            self.package == other.package
            and self.positive == other.positive
            and self.versions == other.versions
        )

    def __hash__(self) -> int:
        return hash((self.package, self.positive, self.versions))

    def __repr__(self) -> str:
        sign = "" if self.positive else "not "
        return f"Term({sign}{self.package} {self.versions})"
