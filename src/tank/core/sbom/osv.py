"""OSV ``affected`` entries and the version arithmetic to check a package against them.

One :class:`Affected` holds an advisory's affected versions for one package: the explicit
``versions`` list and the intervals of its ``ranges`` (``introduced`` opens an interval,
``fixed`` closes it exclusively, ``last_affected`` inclusively; ``limit`` and ``GIT`` ranges
are ignored). PyPI versions are PEP 440 (:mod:`packaging`), npm versions SemVer
(:mod:`tank.core.semver`). :mod:`tank.core.advisories` documents the matching rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion
from packaging.version import Version as PyVersion

from tank.core.errors import VersionError
from tank.core.sbom.model import NPM, PYPI
from tank.core.semver import MIN_VERSION, Version, VersionSet, parse_range, parse_version

__all__ = ["Affected", "parse_affected"]

#: Range types whose events are ecosystem versions, per ecosystem.
_RANGE_TYPES = {PYPI: {"ECOSYSTEM"}, NPM: {"SEMVER", "ECOSYSTEM"}}
_UPPER_OPERATORS = frozenset({"<", "<=", "==", "===", "~="})

#: A parsed version of either ecosystem; only ever compared with its own kind.
AnyVersion = PyVersion | Version


@dataclass(frozen=True, slots=True)
class _Interval:
    low: AnyVersion | None  # None: from the first version ("introduced": "0")
    high: AnyVersion | None  # None: no fix
    inclusive: bool  # high is last_affected (inclusive) rather than fixed

    def contains(self, v: Any) -> bool:
        if self.low is not None and v < self.low:
            return False
        if self.high is None:
            return True
        return bool(v <= self.high) if self.inclusive else bool(v < self.high)


def _parse(ecosystem: str, text: str) -> AnyVersion | None:
    try:
        if ecosystem == PYPI:
            return PyVersion(text)
        return parse_version(text.removeprefix("v"))
    except (InvalidVersion, VersionError):
        return None


def _intervals(ecosystem: str, events: list[Any]) -> tuple[list[_Interval], list[str]] | None:
    """The intervals of one range and its fixed versions; None when a version does not parse."""
    parsed: list[tuple[int, Any, str, str]] = []
    for event in events:
        if not isinstance(event, dict) or len(event) != 1:
            continue
        kind, text = next(iter(event.items()))
        if kind not in ("introduced", "fixed", "last_affected") or not isinstance(text, str):
            continue
        if kind == "introduced" and text == "0":
            parsed.append((0, None, kind, text))
            continue
        version = _parse(ecosystem, text)
        if version is None:
            return None
        parsed.append((1, version, kind, text))
    parsed.sort(key=lambda p: (p[0], p[1]) if p[1] is not None else (0, 0))
    intervals: list[_Interval] = []
    fixed: list[str] = []
    low: AnyVersion | None = None
    is_open = False
    for _, version, kind, text in parsed:
        if kind == "introduced" and not is_open:
            low, is_open = version, True
        elif kind != "introduced":
            if kind == "fixed":
                fixed.append(text)
            if is_open:
                intervals.append(_Interval(low, version, inclusive=kind == "last_affected"))
                is_open = False
    if is_open:
        intervals.append(_Interval(low, None, inclusive=False))
    return intervals, fixed


@dataclass(frozen=True, slots=True)
class Affected:
    """The versions of one package that one advisory affects."""

    ecosystem: str
    name: str
    versions: tuple[str, ...]
    intervals: tuple[_Interval, ...]
    fixed: tuple[str, ...]
    has_fix: bool

    def _known(self) -> list[Any]:
        """Versions the advisory names that are real releases: its list, ``introduced`` and
        ``fixed`` bounds (not ``last_affected``: the release after it is unknown)."""
        texts = set(self.versions) | set(self.fixed)
        found = [v for v in (_parse(self.ecosystem, t) for t in texts) if v is not None]
        return found + [i.low for i in self.intervals if i.low is not None]

    def _contains_parsed(self, v: Any) -> bool:
        listed = {_parse(self.ecosystem, t) for t in self.versions}
        return v in listed or any(i.contains(v) for i in self.intervals)

    def contains(self, version: str) -> bool:
        """True when the exact ``version`` is affected."""
        v = _parse(self.ecosystem, version)
        return v is not None and self._contains_parsed(v)

    def fixed_after(self, version: str | None) -> list[str]:
        """The fixed versions, lowest first (only those above ``version`` when given)."""
        keyed: list[tuple[Any, str]] = [(_parse(self.ecosystem, t), t) for t in self.fixed]
        usable = sorted((v, t) for v, t in keyed if v is not None)
        floor: Any = _parse(self.ecosystem, version) if version is not None else None
        return [t for v, t in usable if floor is None or v > floor]

    def spec_affected(self, spec: str) -> bool:
        """True when a package declared as ``spec`` (not pinned) is affected, by the rule in
        :mod:`tank.core.advisories`."""
        allows = _allows(self.ecosystem, spec)
        if allows is None:
            return False
        if self.ecosystem == NPM:
            every = self._npm_subset(spec)
        else:
            candidates = [v for v in self._known() if allows(v)]
            every = bool(candidates) and all(self._contains_parsed(v) for v in candidates)
            every = every or _pypi_within(spec, self.intervals)
        if every:
            return True
        if not self.has_fix:
            return any(
                i.high is None and _allows_from(self.ecosystem, spec, i.low, self._known())
                for i in self.intervals
            )
        return False

    def _npm_subset(self, spec: str) -> bool:
        """npm only: every version the range allows lies in the affected intervals."""
        try:
            allowed = parse_range(spec or "*").version_set
        except VersionError:
            return False
        affected = VersionSet.empty()
        for text in self.versions:
            listed = _parse(NPM, text)
            if isinstance(listed, Version):
                affected = affected.union(VersionSet.exact(listed))
        for i in self.intervals:
            low = i.low if isinstance(i.low, Version) else MIN_VERSION
            if i.high is None:
                part = VersionSet.at_least(low)
            elif isinstance(i.high, Version):
                part = (VersionSet.at_most if i.inclusive else VersionSet.less_than)(i.high)
                part = part.intersection(VersionSet.at_least(low))
            else:
                continue
            affected = affected.union(part)
        return not allowed.is_empty and allowed.subset_of(affected)


def _allows(ecosystem: str, spec: str) -> Callable[[Any], bool] | None:
    """A predicate: does ``spec`` allow a version? None when the spec does not parse."""
    if ecosystem == PYPI:
        specifier = _pypi_specifier(spec)
        if specifier is None:
            return None
        return lambda v: isinstance(v, PyVersion) and specifier.contains(v, prereleases=True)
    try:
        npm_range = parse_range(spec.strip() or "*")
    except VersionError:
        return None
    return lambda v: isinstance(v, Version) and npm_range.contains(v)


def _pypi_specifier(spec: str) -> SpecifierSet | None:
    text = spec.strip()
    if not text:
        return SpecifierSet()
    try:
        return Requirement(text).specifier
    except InvalidRequirement:
        try:
            return SpecifierSet(text)
        except InvalidSpecifier:
            return None


def _pypi_bounds(spec: str) -> tuple[Any, Any, bool] | None:
    """(lowest allowed, highest allowed, highest is inclusive) of a PEP 440 spec, or None when
    it has no upper bound this reading understands. ``~=`` and wildcards give no upper bound."""
    specifier = _pypi_specifier(spec)
    if specifier is None:
        return None
    lower: Any = None
    upper: Any = None
    inclusive = False
    for item in specifier:
        if item.version.endswith(".*") or item.operator == "===":
            return None
        version = PyVersion(item.version)
        if item.operator in (">=", ">", "==", "~=") and (lower is None or version > lower):
            lower = version
        if item.operator in ("<", "<=", "=="):
            if upper is None or version < upper:
                upper, inclusive = version, item.operator != "<"
            elif version == upper:
                inclusive = inclusive and item.operator != "<"
    return (lower, upper, inclusive) if upper is not None else None


def _pypi_within(spec: str, intervals: tuple[_Interval, ...]) -> bool:
    """PyPI: do the spec's bounds lie inside one affected interval (so every version is hit)?"""
    bounds = _pypi_bounds(spec)
    if bounds is None:
        return False
    lower, upper, upper_inclusive = bounds
    for i in intervals:
        if i.low is not None and (lower is None or lower < i.low):
            continue
        if i.high is None or upper < i.high:
            return True
        if upper == i.high and (not upper_inclusive or i.inclusive):
            return True
    return False


def _allows_from(ecosystem: str, spec: str, low: Any, known: list[Any]) -> bool:
    """Does ``spec`` allow some version at or after ``low`` (None: any version)?"""
    if ecosystem == NPM:
        try:
            allowed = parse_range(spec.strip() or "*").version_set
        except VersionError:
            return False
        floor = VersionSet.at_least(low if isinstance(low, Version) else MIN_VERSION)
        return not allowed.intersection(floor).is_empty
    specifier = _pypi_specifier(spec)
    if specifier is None:
        return False
    if not any(s.operator in _UPPER_OPERATORS for s in specifier):
        return True  # unbounded above: it allows versions past any introduction
    probes = [v for v in known if low is None or v >= low]
    if low is not None:
        probes.append(low)
    return any(specifier.contains(v, prereleases=True) for v in probes)


def parse_affected(entry: Any) -> Affected | None:
    """One OSV ``affected`` object for PyPI or npm; None for other ecosystems or bad data."""
    if not isinstance(entry, dict):
        return None
    package = entry.get("package")
    if not isinstance(package, dict):
        return None
    ecosystem, name = package.get("ecosystem"), package.get("name")
    if ecosystem not in _RANGE_TYPES or not isinstance(name, str) or not name:
        return None
    intervals: list[_Interval] = []
    fixed: list[str] = []
    has_fix = False
    for item in entry.get("ranges") or []:
        if not isinstance(item, dict) or item.get("type") not in _RANGE_TYPES[ecosystem]:
            continue
        events = item.get("events")
        result = _intervals(ecosystem, events if isinstance(events, list) else [])
        if result is None:
            continue
        found, fixes = result
        intervals += found
        fixed += fixes
        has_fix = has_fix or any(i.high is not None for i in found)
    versions = tuple(v for v in entry.get("versions") or [] if isinstance(v, str))
    if not intervals and not versions:
        return None
    return Affected(
        ecosystem=ecosystem,
        name=name,
        versions=versions,
        intervals=tuple(intervals),
        fixed=tuple(fixed),
        has_fix=has_fix or not intervals,
    )
