"""Allocation-free term relations for the propagation loop.

``VersionSet.subset_of`` and ``is_disjoint`` build a whole new set (a difference or an
intersection) only to ask whether it is empty. Unit propagation asks these questions hundreds
of thousands of times, so here they are answered by binary search over the cut points each
:class:`~tank.core.resolver.term.Term` computes once (``Term.cuts``), building nothing.
"""

from __future__ import annotations

from bisect import bisect_right

from tank.core.resolver.term import CONTRADICTED, INCONCLUSIVE, SATISFIED, Term
from tank.core.semver.version import Key

__all__ = ["is_disjoint", "relation", "satisfies", "subset_of"]


def subset_of(ca: tuple[Key, ...], cb: tuple[Key, ...]) -> bool:
    """True when every version of the set with cuts ``ca`` is in the set with cuts ``cb``."""
    if ca is cb:
        return True
    n, m = len(cb), len(ca)
    for k in range(0, m, 2):
        i = bisect_right(cb, ca[k])
        if not i & 1:
            return False  # the interval's start is outside b
        if i < n and (k + 1 >= m or ca[k + 1] > cb[i]):
            return False  # b's interval ends before a's does
    return True


def is_disjoint(ca: tuple[Key, ...], cb: tuple[Key, ...]) -> bool:
    """True when the sets with cuts ``ca`` and ``cb`` have no version in common."""
    n, m = len(cb), len(ca)
    for k in range(0, m, 2):
        i = bisect_right(cb, ca[k])
        if i & 1:
            return False  # the interval's start is inside b
        if i < n and (k + 1 >= m or ca[k + 1] > cb[i]):
            return False  # b's next interval starts before a's interval ends
    return True


def satisfies(a: Term, b: Term) -> bool:
    """``a.satisfies(b)``: every assignment allowed by ``a`` is allowed by ``b``."""
    if a.positive:
        if b.positive:
            return subset_of(a.cuts, b.cuts)
        return is_disjoint(a.cuts, b.cuts)
    if b.positive:
        return False
    return subset_of(b.cuts, a.cuts)


def relation(term: Term, known: Term) -> int:
    """``term.relation(known)``: SATISFIED, CONTRADICTED or INCONCLUSIVE."""
    a, b = known.cuts, term.cuts
    if known.positive:
        if term.positive:
            if subset_of(a, b):
                return SATISFIED
            return CONTRADICTED if is_disjoint(a, b) else INCONCLUSIVE
        if is_disjoint(a, b):
            return SATISFIED
        return CONTRADICTED if subset_of(a, b) else INCONCLUSIVE
    if term.positive:
        return CONTRADICTED if subset_of(b, a) else INCONCLUSIVE
    return SATISFIED if subset_of(b, a) else INCONCLUSIVE
