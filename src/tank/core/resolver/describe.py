"""Wording of terms and incompatibilities in explanations (Dart pub's phrasing).

The project is "your project"; a set covering every version reads "all versions of p"; any
other set is rendered as npm-style ranges, with the point holes the prerelease rule carves out
(see :mod:`tank.core.resolver.source`) filled back in, since they only restate the range.
"""

from __future__ import annotations

from tank.core.resolver.incompatibility import ROOT, Cause, Incompatibility
from tank.core.resolver.term import Term
from tank.core.semver.version import Version
from tank.core.semver.version_set import MIN_VERSION, VersionSet, successor

__all__ = ["and_to_string", "describe", "show_set", "terse", "wanted"]


def show_set(versions: VersionSet) -> str:
    """``versions`` as npm-style range text, written the way people write ranges.

    Single-prerelease holes between intervals (the prerelease rule's carvings) are not shown,
    and an upper bound ``<2.0.0-0`` (what ``^1.2.0`` means exactly) reads ``<2.0.0``.
    """
    if versions.is_full:
        return "*"
    if versions.is_empty:
        return "<empty>"
    parts: list[str] = []
    start: Version | None = None
    intervals = versions.intervals
    for k, (lo, hi) in enumerate(intervals):
        if start is None:
            start = lo
        nxt = intervals[k + 1][0] if k + 1 < len(intervals) else None
        if hi is not None and nxt is not None and hi.is_prerelease and nxt == successor(hi):
            continue  # a one-version prerelease hole: keep the interval going
        parts.append(_show_interval(start, hi))
        start = None
    return " || ".join(parts)


def _show_interval(lo: Version, hi: Version | None) -> str:
    if hi is not None and hi == successor(lo):
        return str(lo)
    if (
        hi is not None
        and not lo.is_prerelease
        and lo.major > 0
        and hi == Version(lo.major + 1, 0, 0, (0,))
    ):
        return f"^{lo}"  # exactly what a caret range means
    out: list[str] = []
    if lo != MIN_VERSION:
        if lo.prerelease == (0,) and lo.patch > 0:
            out.append(f">{Version(lo.major, lo.minor, lo.patch - 1)}")
        else:
            out.append(f">={lo}")
    if hi is not None:
        if hi.prerelease == (0,) and hi.patch > 0:
            out.append(f"<={Version(hi.major, hi.minor, hi.patch - 1)}")
        elif hi.prerelease == (0,):
            out.append(f"<{Version(*hi.release)}")
        else:
            out.append(f"<{hi}")
    return " ".join(out)


def terse(term: Term, *, every: bool = False) -> str:
    """The package and set of ``term``, read positively: ``p >=1.0.0 <2.0.0``."""
    if term.package == ROOT:
        return "your project"
    if term.versions.is_full:
        return f"all versions of {term.package}" if every else term.package
    return f"{term.package} {show_set(term.versions)}"


def wanted(incompatibility: Incompatibility, term: Term) -> str:
    """A negative (required) term, with the range as written when it is a dependency's."""
    label = incompatibility.label
    if incompatibility.cause is Cause.DEPENDENCY and label is not None:
        return f"{term.package} {label.strip() or '*'}"
    return terse(term)


def _subject(term: Term) -> tuple[str, bool]:
    """``term`` as the subject of a sentence, and whether the verb must be plural."""
    text = terse(term, every=True)
    return text, term.package != ROOT and term.versions.is_full


def _verb(term: Term, singular: str, plural: str) -> str:
    text, is_plural = _subject(term)
    return f"{text} {plural if is_plural else singular}"


def describe(incompatibility: Incompatibility) -> str:
    """One clause saying what ``incompatibility`` means (no final period)."""
    terms = incompatibility.terms
    cause = incompatibility.cause
    if cause is Cause.DEPENDENCY:
        depender, dependee = terms
        return f"{_verb(depender, 'depends on', 'depend on')} {wanted(incompatibility, dependee)}"
    if cause is Cause.NO_VERSIONS:
        return f"no versions of {terms[0].package} match {show_set(terms[0].versions)}"
    if cause is Cause.UNKNOWN:
        return f"there is no skill named {terms[0].package} in the registry"
    if cause is Cause.ROOT:
        return "your project is being resolved"
    if incompatibility.is_failure:
        return "version solving failed"
    if len(terms) == 1:
        term = terms[0]
        if term.positive:
            return _verb(term, "is forbidden", "are forbidden")
        return f"{terse(term)} is required"
    positives = [t for t in terms if t.positive]
    negatives = [t for t in terms if not t.positive]
    if len(terms) == 2 and len(positives) == 2:
        return f"{_verb(positives[0], 'is', 'are')} incompatible with {terse(positives[1])}"
    if len(terms) == 2 and not positives:
        return f"either {terse(negatives[0])} or {terse(negatives[1])}"
    if positives and negatives:
        needs = " or ".join(terse(t) for t in negatives)
        if len(positives) == 1:
            return f"{_verb(positives[0], 'requires', 'require')} {needs}"
        return f"if {' and '.join(terse(t) for t in positives)} then {needs}"
    if positives:
        return f"one of {' or '.join(terse(t) for t in positives)} must be false"
    return f"one of {' or '.join(terse(t) for t in negatives)} must be true"


def _single(incompatibility: Incompatibility, positive: bool) -> Term | None:
    found = [t for t in incompatibility.terms if t.positive is positive]
    return found[0] if len(found) == 1 else None


def _ref(line: int | None) -> str:
    return f" ({line})" if line is not None else ""


def _depends(incompatibility: Incompatibility, term: Term) -> str:
    if incompatibility.cause is Cause.DEPENDENCY:
        return _verb(term, "depends on", "depend on")
    return _verb(term, "requires", "require")


def _requires_both(
    a: Incompatibility, b: Incompatibility, a_line: int | None, b_line: int | None
) -> str | None:
    # "p depends on both q and r": two requirements of the very same package set.
    if len(a.terms) == 1 or len(b.terms) == 1:
        return None
    pa, pb = _single(a, True), _single(b, True)
    if pa is None or pb is None or pa != pb:
        return None
    qa = " or ".join(wanted(a, t) for t in a.terms if not t.positive)
    qb = " or ".join(wanted(b, t) for t in b.terms if not t.positive)
    if not qa or not qb:
        return None
    both_deps = a.cause is Cause.DEPENDENCY and b.cause is Cause.DEPENDENCY
    verb = _verb(pa, "depends on", "depend on") if both_deps else _verb(pa, "requires", "require")
    return f"{verb} both {qa}{_ref(a_line)} and {qb}{_ref(b_line)}"


def _requires_through(
    a: Incompatibility, b: Incompatibility, a_line: int | None, b_line: int | None
) -> str | None:
    # "p depends on q which depends on r": a chain through q.
    if len(a.terms) == 1 or len(b.terms) == 1:
        return None
    na, nb = _single(a, False), _single(b, False)
    pa, pb = _single(a, True), _single(b, True)
    if na is not None and pb is not None and _chains(na, pb):
        prior, negative, prior_line, latter, latter_line = a, na, a_line, b, b_line
    elif nb is not None and pa is not None and _chains(nb, pa):
        prior, negative, prior_line, latter, latter_line = b, nb, b_line, a, a_line
    else:
        return None
    positives = [t for t in prior.terms if t.positive]
    if len(positives) > 1:
        head = f"if {' and '.join(terse(t) for t in positives)} then"
    else:
        head = _depends(prior, positives[0])
    verb = "depends on" if latter.cause is Cause.DEPENDENCY else "requires"
    needs = " or ".join(wanted(latter, t) for t in latter.terms if not t.positive)
    first = f"{wanted(prior, negative)}{_ref(prior_line)}"
    return f"{head} {first} which {verb} {needs}{_ref(latter_line)}"


def _chains(negative: Term, positive: Term) -> bool:
    return negative.package == positive.package and negative.negate().satisfies(positive)


def _requires_forbidden(
    a: Incompatibility, b: Incompatibility, a_line: int | None, b_line: int | None
) -> str | None:
    # "p depends on q >=2.0.0 which doesn't match any versions".
    if len(a.terms) != 1 and len(b.terms) != 1:
        return None
    if len(a.terms) == 1:
        prior, latter, prior_line, latter_line = b, a, b_line, a_line
    else:
        prior, latter, prior_line, latter_line = a, b, a_line, b_line
    negative = _single(prior, False)
    if negative is None or not _chains(negative, latter.terms[0]):
        return None
    positives = [t for t in prior.terms if t.positive]
    if not positives:
        return None
    if len(positives) > 1:
        head = f"if {' and '.join(terse(t) for t in positives)} then"
    else:
        head = _depends(prior, positives[0])
    if latter.cause is Cause.NO_VERSIONS:
        tail = "which doesn't match any versions"
    elif latter.cause is Cause.UNKNOWN:
        tail = "which doesn't exist in the registry"
    else:
        tail = "which is forbidden"
    return f"{head} {wanted(prior, negative)}{_ref(prior_line)} {tail}{_ref(latter_line)}"


def and_to_string(
    a: Incompatibility,
    b: Incompatibility,
    a_line: int | None = None,
    b_line: int | None = None,
) -> str:
    """``a`` and ``b`` as one clause, fused into a chain when they connect."""
    for attempt in (_requires_both, _requires_through, _requires_forbidden):
        text = attempt(a, b, a_line, b_line)
        if text is not None:
            return text
    return f"{describe(a)}{_ref(a_line)} and {describe(b)}{_ref(b_line)}"
