"""SemVer 2.0.0 versions, version sets and npm ranges.

- :class:`Version` / :func:`parse_version`: strict SemVer 2.0.0, ordered by precedence.
- :class:`VersionSet`: exact set algebra over versions (what the resolver reasons with).
- :class:`Range` / :func:`parse_range`: npm range syntax with npm's semantics, including the
  prerelease rule; ``Range.version_set`` is its intervals.
"""

from tank.core.semver.ranges import Range, parse_range
from tank.core.semver.version import Version, parse_version
from tank.core.semver.version_set import MIN_VERSION, VersionSet, successor

__all__ = [
    "MIN_VERSION",
    "Range",
    "Version",
    "VersionSet",
    "parse_range",
    "parse_version",
    "successor",
]
