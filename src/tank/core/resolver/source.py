"""A per-resolve cache in front of the provider, which turns answers into incompatibilities.

Two decisions live here:

* **Merging runs of versions.** When the solver asks for the dependencies of ``p v``, the
  incompatibilities it gets cover the maximal run of adjacent published versions of ``p`` whose
  dependency ranges are identical (as Dart pub does). One incompatibility then speaks for many
  versions, so conflict resolution learns about the whole run at once and explanations say
  "all versions of p" or "p >=1.2.0 <1.5.0" instead of listing versions one by one.
* **The prerelease rule.** npm ranges match a prerelease only when the range names that
  major.minor.patch with a prerelease, which intervals cannot express. A dependency's version
  set is the range's intervals with every *published* prerelease the range does not admit
  carved out as a point hole, so sets stay interval lists and the rule still holds.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from operator import itemgetter
from typing import Final

from tank.core.resolver.incompatibility import ROOT, Cause, Incompatibility
from tank.core.resolver.provider import Provider
from tank.core.resolver.term import Term
from tank.core.semver.ranges import Range
from tank.core.semver.version import Key, Version
from tank.core.semver.version_set import VersionSet

__all__ = ["ROOT_VERSION", "Source"]

ROOT_VERSION: Final = Version(0, 0, 0)
"""The one version of the project pseudo-package."""


class Source:
    """Lazily asks ``provider`` each question once and answers in the solver's terms."""

    __slots__ = (
        "_deps",
        "_index",
        "_keys",
        "_prereleases",
        "_provider",
        "_root",
        "_runs",
        "_sets",
        "_versions",
    )

    def __init__(self, provider: Provider, root: Mapping[str, Range]) -> None:
        self._provider = provider
        self._root = dict(root)
        self._versions: dict[str, tuple[Version, ...]] = {ROOT: (ROOT_VERSION,)}
        self._keys: dict[str, list[Key]] = {ROOT: [ROOT_VERSION.sort_key]}
        self._prereleases: dict[str, tuple[Version, ...]] = {ROOT: ()}
        self._index: dict[str, dict[Key, int]] = {ROOT: {ROOT_VERSION.sort_key: 0}}
        self._deps: dict[tuple[str, Version], Mapping[str, Range]] = {}
        self._sets: dict[tuple[str, Range], VersionSet] = {}
        # package -> for each version index, whether its run's incompatibilities were added.
        self._runs: dict[str, list[bool]] = {}

    def versions(self, package: str) -> tuple[Version, ...]:
        """Published versions of ``package``, ascending and without duplicates (cached)."""
        found = self._versions.get(package)
        if found is None:
            # Deduplicated by sort key (equal versions have equal keys): hashing tuples is
            # cheaper than hashing Versions. Reversed so the first of equal versions is kept.
            given = list(self._provider.versions(package))
            given.reverse()
            unique = {v.sort_key: v for v in given}
            keys = sorted(unique)
            found = tuple([unique[k] for k in keys])
            self._versions[package] = found
            self._keys[package] = keys
            self._index[package] = {k: i for i, k in enumerate(keys)}
            self._prereleases[package] = tuple(v for v in found if v.is_prerelease)
        return found

    def count(self, package: str, allowed: VersionSet) -> int:
        """How many published versions of ``package`` lie in ``allowed``."""
        self.versions(package)
        keys = self._keys[package]
        total = 0
        for lo, hi in allowed.intervals:
            end = len(keys) if hi is None else bisect_left(keys, hi.sort_key)
            total += end - bisect_left(keys, lo.sort_key)
        return total

    def dependencies(self, package: str, version: Version) -> Mapping[str, Range]:
        """The dependency ranges of ``package`` at ``version`` (cached)."""
        if package == ROOT:
            return self._root
        key = (package, version)
        found = self._deps.get(key)
        if found is None:
            found = self._provider.dependencies(package, version)
            self._deps[key] = found
        return found

    def allowed(self, package: str, spec: Range) -> VersionSet:
        """The versions of ``package`` that ``spec`` admits, prerelease rule included."""
        key = (package, spec)
        found = self._sets.get(key)
        if found is None:
            found = spec.version_set
            self.versions(package)
            for v in self._prereleases[package]:
                # Only published prereleases inside the intervals can be wrongly admitted.
                if found.contains(v) and not spec.contains(v):
                    found = found.difference(VersionSet.exact(v))
            self._sets[key] = found
        return found

    def incompatibilities_for(self, package: str, version: Version) -> list[Incompatibility]:
        """The dependency incompatibilities of ``package`` at ``version``.

        Empty when they were already produced for an earlier version of the same run: the
        solver keeps incompatibilities forever, so they need adding only once.
        """
        versions = self.versions(package)
        i = self._index[package][version.sort_key]
        done = self._runs.get(package)
        if done is None:
            done = [False] * len(versions)
            self._runs[package] = done
        if done[i]:
            return []
        deps = self.dependencies(package, version)
        lo = i
        while lo > 0 and not done[lo - 1]:
            if self.dependencies(package, versions[lo - 1]) != deps:
                break
            lo -= 1
        hi = i
        last = len(versions) - 1
        while hi < last and not done[hi + 1]:
            if self.dependencies(package, versions[hi + 1]) != deps:
                break
            hi += 1
        for k in range(lo, hi + 1):
            done[k] = True
        # The run reaches to the neighbouring published versions (or is unbounded at either end),
        # so it covers unpublished versions too; that is harmless, as none can be selected,
        # and it lets the explanation say "all versions of p".
        run = _run_set(versions, lo, hi)
        depender = Term(package, run)
        out: list[Incompatibility] = []
        for dep, spec in sorted(deps.items(), key=itemgetter(0)):
            if dep == package:
                # A skill depending on itself is a cycle, reported on the result; it says
                # nothing about which versions are compatible.
                continue
            dependee = Term(dep, self.allowed(dep, spec), False)
            out.append(Incompatibility((depender, dependee), Cause.DEPENDENCY, label=spec.raw))
        return out


def _run_set(versions: tuple[Version, ...], lo: int, hi: int) -> VersionSet:
    start = None if lo == 0 else versions[lo]
    end = None if hi == len(versions) - 1 else versions[hi + 1]
    if start is None:
        return VersionSet.full() if end is None else VersionSet.less_than(end)
    return VersionSet.at_least(start) if end is None else VersionSet.between(start, end)
