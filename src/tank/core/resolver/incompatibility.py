"""Incompatibilities: sets of terms that must never all hold at once, and why.

Every fact the solver knows is an incompatibility. External ones come from the outside world
(the project's requirements, a skill's dependencies, a range no published version matches, a
name the registry does not know); derived ones are learned during conflict resolution and
remember the two incompatibilities they were derived from, which is what the explanation of a
failure walks.
"""

from __future__ import annotations

from enum import Enum
from typing import Final

from tank.core.resolver.term import Term

__all__ = ["ROOT", "Cause", "Incompatibility"]

ROOT: Final = ""
"""The name of the pseudo-package standing for the project; no skill name is empty."""


class Cause(Enum):
    """Why an incompatibility holds."""

    ROOT = "root"  # the project must be selected
    DEPENDENCY = "dependency"  # {p S, not q R}: p S depends on q R
    NO_VERSIONS = "no_versions"  # {p S}: no published version of p is in S
    UNKNOWN = "unknown"  # {p *}: the registry has no skill named p
    CONFLICT = "conflict"  # derived from two others during conflict resolution


class Incompatibility:
    """Terms that cannot all be true together, with the reason they cannot."""

    __slots__ = ("cause", "label", "other", "prior", "terms")

    terms: tuple[Term, ...]
    cause: Cause
    # For CONFLICT only: the incompatibility being resolved and the satisfier's cause.
    prior: Incompatibility | None
    other: Incompatibility | None
    # For DEPENDENCY only: the range as the skill's author wrote it, for explanations.
    label: str | None

    def __init__(
        self,
        terms: tuple[Term, ...],
        cause: Cause,
        prior: Incompatibility | None = None,
        other: Incompatibility | None = None,
        *,
        label: str | None = None,
    ) -> None:
        self.terms = terms
        self.cause = cause
        self.prior = prior
        self.other = other
        self.label = label

    @classmethod
    def derived(
        cls, terms: list[Term], prior: Incompatibility, other: Incompatibility
    ) -> Incompatibility:
        """Learned from ``prior`` and ``other``: merge terms of the same package.

        An incompatibility is a conjunction, so two terms about one package are joined with
        ``intersect``. Vacuous terms and, when anything else remains, the project's own
        positive term (always true once solving starts) are dropped: they say nothing and only
        lengthen explanations.
        """
        merged: dict[str, Term] = {}
        for term in terms:
            seen = merged.get(term.package)
            merged[term.package] = term if seen is None else seen.intersect(term)
        kept = [t for t in merged.values() if not t.is_vacuous]
        if len(kept) > 1:
            kept = [t for t in kept if not (t.positive and t.package == ROOT)]
        return cls(tuple(kept), Cause.CONFLICT, prior, other)

    @property
    def is_failure(self) -> bool:
        """True when this says the project itself cannot be resolved."""
        terms = self.terms
        return not terms or (len(terms) == 1 and terms[0].package == ROOT and terms[0].positive)

    def term_for(self, package: str) -> Term | None:
        """This incompatibility's term about ``package``, if any."""
        for term in self.terms:
            if term.package == package:
                return term
        return None

    def __repr__(self) -> str:
        inner = ", ".join(repr(t) for t in self.terms)
        return f"Incompatibility({self.cause.value}: {inner})"
