"""Required literals: strings one of which every match of a regex contains.

Python's ``re`` tries a case-insensitive alternation at every position of the text (about
half a microsecond a character per rule): on a vendored 1 MB bundle the pattern rules alone
took seconds. Most rules name words (``webhook.site``, ``ignore … instructions``) that
are absent from most files, and ``needle in text`` runs in C. So each pattern is parsed once
and the literals it cannot match without are kept; a file that holds none of them is not
searched with that pattern.

Safe by construction: a needle set is only derived from parts every match must go through
(a literal run, a repeat of at least one, every branch of an alternation, a positive
lookaround). Anything else yields "no requirement" and the pattern always runs. Needles and
text are compared casefolded, which is at least as loose as ``re.IGNORECASE`` (it folds
``ſ`` to ``s`` and ``K`` to ``k`` as ``re`` does), so skipping never loses a match.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

__all__ = ["required_literals"]

# The parser ``re`` itself uses (Python 3.11+); typeshed does not describe these modules.
_c: Any = importlib.import_module("re._constants")
_p: Any = importlib.import_module("re._parser")

#: Needles shorter than this are not worth a check (they occur everywhere).
_MIN_USEFUL = 3
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Casefolded strings one of which every match of ``pattern`` contains, or None."""
    try:
        parsed = _p.parse(pattern.pattern, pattern.flags)
    except Exception:  # an exotic construct: no shortcut, always run the pattern
        return None
    found = _sequence(list(parsed))
    if not found or min(len(n) for n in found) < _MIN_USEFUL:
        return None
    return tuple(sorted(found))


def _score(needles: set[str]) -> int:
    return min(len(n) for n in needles)


def _sequence(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The most selective requirement among the parts of a sequence (all must match)."""
    best: set[str] | None = None
    run: list[str] = []

    def consider(candidate: set[str] | None) -> None:
        nonlocal best
        if candidate and (best is None or _score(candidate) > _score(best)):
            best = candidate

    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            consider({"".join(run).casefold()})
            run = []
        consider(_item(op, av))
    if run:
        consider({"".join(run).casefold()})
    return best


def _item(op: Any, av: Any) -> set[str] | None:
    if op is _c.SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _sequence(list(av))
    if op in _REPEATS:
        low, _high, inner = av
        return _sequence(list(inner)) if low >= 1 else None
    if op is _c.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            needles = _sequence(list(branch))
            if not needles:
                return None  # one branch needs nothing: the alternation needs nothing
            union |= needles
        return union
    if op is _c.ASSERT:
        return _sequence(list(av[1]))
    return None
