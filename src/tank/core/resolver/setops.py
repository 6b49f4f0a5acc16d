"""Term relations for the propagation loop, as plain functions over the terms' version sets.

Functions rather than :class:`~tank.core.resolver.term.Term` methods because unit propagation
calls them hundreds of thousands of times; ``VersionSet.subset_of`` and ``is_disjoint`` are
binary searches that build nothing.
"""

from __future__ import annotations

from tank.core.resolver.term import CONTRADICTED, INCONCLUSIVE, SATISFIED, Term

__all__ = ["relation", "satisfies"]


def satisfies(a: Term, b: Term) -> bool:
    """``a.satisfies(b)``: every assignment allowed by ``a`` is allowed by ``b``."""
    if a.positive:
        if b.positive:
            return a.versions.subset_of(b.versions)
        return a.versions.is_disjoint(b.versions)
    if b.positive:
        return False
    return b.versions.subset_of(a.versions)


def relation(term: Term, known: Term) -> int:
    """``term.relation(known)``: SATISFIED, CONTRADICTED or INCONCLUSIVE."""
    a, b = known.versions, term.versions
    if known.positive:
        if term.positive:
            if a.subset_of(b):
                return SATISFIED
            return CONTRADICTED if a.is_disjoint(b) else INCONCLUSIVE
        if a.is_disjoint(b):
            return SATISFIED
        return CONTRADICTED if a.subset_of(b) else INCONCLUSIVE
    if term.positive:
        return CONTRADICTED if b.subset_of(a) else INCONCLUSIVE
    return SATISFIED if b.subset_of(a) else INCONCLUSIVE
