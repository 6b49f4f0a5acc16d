"""Sets of versions as unions of disjoint, sorted half-open intervals.

SemVer precedence is a discrete order with a least element (``0.0.0-0``) in which every version
has an immediate successor: after a prerelease ``v-p`` comes ``v-p.0``, after a release
``x.y.z`` comes ``x.y.(z+1)-0``. So every bound, inclusive or exclusive, can be written as one
half-open cut "just below version b": ``<=v`` is ``<succ(v)`` and ``>v`` is ``>=succ(v)``.
A set is then a strictly increasing tuple of such cuts ``b0 < b1 < ...`` meaning
``[b0, b1) ∪ [b2, b3) ∪ ...`` (an odd count leaves the last interval unbounded above).
That form is canonical: equal sets have equal tuples, so ``==``, ``hash`` and ``is_empty`` are
exact (``>1.0.0 <1.0.1-0`` is recognised as empty), and union, intersection and complement are
one linear merge. The resolver leans on exactly these operations.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from typing import Final

from tank.core.semver.version import Key, Version

__all__ = ["MIN_VERSION", "VersionSet", "successor"]

MIN_VERSION: Final = Version(0, 0, 0, (0,))
"""The least version of all: nothing sorts below ``0.0.0-0``."""


def successor(v: Version) -> Version:
    """The version immediately after ``v``: no version lies strictly between them."""
    if v.prerelease:
        return Version._trusted(v.major, v.minor, v.patch, (*v.prerelease, 0))
    # patch + 1 may pass npm's 2**53 - 1 limit; such a bound is still a fine cut point.
    return Version._trusted(v.major, v.minor, v.patch + 1, (0,))


def _nice_predecessor(v: Version) -> Version | None:
    # Only x.y.z-0 with z > 0 is rendered through its predecessor (x.y.(z-1)), which turns
    # the cut from "<=1.2.3" back into the text people wrote instead of "<1.2.4-0".
    if v.prerelease == (0,) and v.patch > 0:
        return Version._trusted(v.major, v.minor, v.patch - 1)
    return None


class VersionSet:
    """An immutable set of versions: a union of disjoint sorted intervals.

    Build with :meth:`empty`, :meth:`full`, :meth:`exact`, :meth:`at_least`,
    :meth:`greater_than`, :meth:`at_most`, :meth:`less_than`, :meth:`between`, and combine with
    :meth:`union`, :meth:`intersection`, :meth:`complement`, :meth:`difference` (also ``|``,
    ``&``, ``~``, ``-``). Build metadata never matters: bounds are stored without it.
    """

    __slots__ = ("_bounds", "_hash", "_keys")

    _bounds: tuple[Version, ...]
    _keys: tuple[Key, ...]
    _hash: int

    def __init__(self, bounds: Iterable[Version] = ()) -> None:
        """Build from strictly increasing cut points (prefer the named constructors).

        ``bounds`` alternate start (inclusive) and end (exclusive); equal neighbours cancel.
        """
        canon: list[Version] = []
        for bound in bounds:
            b = bound.without_build()
            if canon and canon[-1] == b:
                # [a, b) ∪ [b, c) = [a, c), and [b, b) is empty: both cancel the pair.
                canon.pop()
                continue
            if canon and canon[-1] > b:
                raise ValueError("VersionSet bounds must be sorted")
            canon.append(b)
        self._bounds = tuple(canon)
        self._keys = tuple(b.sort_key for b in canon)
        self._hash = hash(self._keys)

    # -- constructors ------------------------------------------------------------------------

    @classmethod
    def empty(cls) -> VersionSet:
        """The set with no version."""
        return _EMPTY

    @classmethod
    def full(cls) -> VersionSet:
        """The set of every version (``*``)."""
        return _FULL

    @classmethod
    def exact(cls, v: Version) -> VersionSet:
        """Just ``v`` (``=v``)."""
        return cls((v, successor(v)))

    @classmethod
    def at_least(cls, v: Version) -> VersionSet:
        """Every version ``>= v``."""
        return cls((v,))

    @classmethod
    def greater_than(cls, v: Version) -> VersionSet:
        """Every version ``> v``."""
        return cls((successor(v),))

    @classmethod
    def at_most(cls, v: Version) -> VersionSet:
        """Every version ``<= v``."""
        return cls((MIN_VERSION, successor(v)))

    @classmethod
    def less_than(cls, v: Version) -> VersionSet:
        """Every version ``< v``."""
        return cls((MIN_VERSION, v))

    @classmethod
    def between(cls, lo: Version, hi: Version) -> VersionSet:
        """Every version ``>= lo`` and ``< hi`` (empty when ``hi <= lo``)."""
        if hi <= lo:
            return _EMPTY
        return cls((lo, hi))

    # -- queries -----------------------------------------------------------------------------

    @property
    def intervals(self) -> tuple[tuple[Version, Version | None], ...]:
        """The intervals as ``(lo, hi)`` pairs meaning ``lo <= v < hi`` (``hi`` None: no end)."""
        b = self._bounds
        out: list[tuple[Version, Version | None]] = []
        for i in range(0, len(b), 2):
            out.append((b[i], b[i + 1] if i + 1 < len(b) else None))
        return tuple(out)

    def contains(self, v: Version) -> bool:
        """True when ``v`` is in the set (a binary search over the cut points)."""
        # The number of cuts at or below v says how many times we crossed a boundary.
        return bisect_right(self._keys, v.sort_key) & 1 == 1

    def __contains__(self, v: object) -> bool:
        return isinstance(v, Version) and self.contains(v)

    @property
    def is_empty(self) -> bool:
        """True when no version is in the set."""
        return not self._bounds

    @property
    def is_full(self) -> bool:
        """True when every version is in the set."""
        return self._bounds == (MIN_VERSION,)

    def subset_of(self, other: VersionSet) -> bool:
        """True when every version of ``self`` is in ``other``.

        A binary search per interval of ``self``, building nothing: the resolver asks this
        (and :meth:`is_disjoint`) hundreds of thousands of times.
        """
        ka, kb = self._keys, other._keys
        if ka is kb:
            return True
        n, m = len(kb), len(ka)
        for k in range(0, m, 2):
            i = bisect_right(kb, ka[k])
            if not i & 1:
                return False  # the interval's start is outside other
            if i < n and (k + 1 >= m or ka[k + 1] > kb[i]):
                return False  # other's interval ends before this one does
        return True

    def is_disjoint(self, other: VersionSet) -> bool:
        """True when no version is in both sets (a binary search per interval, as above)."""
        ka, kb = self._keys, other._keys
        n, m = len(kb), len(ka)
        for k in range(0, m, 2):
            i = bisect_right(kb, ka[k])
            if i & 1:
                return False  # the interval's start is inside other
            if i < n and (k + 1 >= m or ka[k + 1] > kb[i]):
                return False  # other's next interval starts before this one ends
        return True

    @property
    def lowest(self) -> Version | None:
        """The least version in the set, or None when it is empty."""
        return self._bounds[0] if self._bounds else None

    # -- algebra -----------------------------------------------------------------------------

    def complement(self) -> VersionSet:
        """Every version not in ``self``."""
        b = self._bounds
        if b and b[0] == MIN_VERSION:
            return VersionSet(b[1:])
        return VersionSet((MIN_VERSION, *b))

    def union(self, other: VersionSet) -> VersionSet:
        """Versions in ``self`` or ``other``."""
        if self.is_empty or other.is_full:
            return other
        if other.is_empty or self.is_full:
            return self
        return self._merge(other, lambda a, b: a or b)

    def intersection(self, other: VersionSet) -> VersionSet:
        """Versions in both ``self`` and ``other``."""
        if self.is_empty or other.is_full:
            return self
        if other.is_empty or self.is_full:
            return other
        return self._merge(other, lambda a, b: a and b)

    def difference(self, other: VersionSet) -> VersionSet:
        """Versions in ``self`` but not in ``other``."""
        if self.is_empty or other.is_empty:
            return self
        return self._merge(other, lambda a, b: a and not b)

    def _merge(self, other: VersionSet, op: Callable[[bool, bool], bool]) -> VersionSet:
        # Sweep both cut lists in order, tracking membership in each; emit a cut wherever the
        # combined membership flips. Linear in the number of cuts.
        a, b = self._bounds, other._bounds
        ka, kb = self._keys, other._keys
        i = j = 0
        in_a = in_b = inside = False
        out: list[Version] = []
        while i < len(a) or j < len(b):
            if j >= len(b) or (i < len(a) and ka[i] <= kb[j]):
                point, key = a[i], ka[i]
            else:
                point, key = b[j], kb[j]
            if i < len(a) and ka[i] == key:
                in_a = not in_a
                i += 1
            if j < len(b) and kb[j] == key:
                in_b = not in_b
                j += 1
            now = op(in_a, in_b)
            if now != inside:
                out.append(point)
                inside = now
        return VersionSet(out)

    __or__ = union
    __and__ = intersection
    __sub__ = difference
    __invert__ = complement

    # -- identity and text -------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if isinstance(other, VersionSet):
            return self._keys == other._keys
        return NotImplemented

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return f"VersionSet({str(self)!r})"

    def __str__(self) -> str:
        if not self._bounds:
            return "<empty>"
        return " || ".join(_render(lo, hi) for lo, hi in self.intervals)


def _render(lo: Version, hi: Version | None) -> str:
    if hi is not None and hi == successor(lo):
        return str(lo)
    parts: list[str] = []
    if lo != MIN_VERSION:
        pred = _nice_predecessor(lo)
        parts.append(f">{pred}" if pred is not None else f">={lo}")
    if hi is not None:
        pred = _nice_predecessor(hi)
        parts.append(f"<={pred}" if pred is not None else f"<{hi}")
    return " ".join(parts) or "*"


_EMPTY: Final = VersionSet(())
_FULL: Final = VersionSet((MIN_VERSION,))
