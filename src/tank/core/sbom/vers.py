"""Version ranges in the Package URL ``vers`` syntax (``vers:npm/>=1.2.0|<2.0.0``).

CycloneDX uses ``vers`` for ranges; Tank writes it for skill dependencies (npm range
syntax, converted through :class:`~tank.core.semver.VersionSet` intervals) and for Python
requirements (PEP 440 specifiers whose operators ``vers`` has: ``==`` ``!=`` ``<`` ``<=``
``>`` ``>=``). A range ``vers`` cannot express (``~=``, wildcards, ``===``) gives None.
"""

from __future__ import annotations

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from tank.core.errors import VersionError
from tank.core.semver import MIN_VERSION, parse_range, successor

__all__ = ["npm_vers", "pypi_vers"]

_VERS_OPERATORS = {"==": "", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def npm_vers(scheme: str, text: str) -> str | None:
    """``text`` (npm range syntax) as ``vers:<scheme>/...``, or None when it does not parse."""
    try:
        intervals = parse_range(text).version_set.intervals
    except VersionError:
        return None
    if not intervals:
        return None
    parts: list[str] = []
    for low, high in intervals:
        if high is not None and high == successor(low):
            parts.append(str(low))  # exactly one version
            continue
        if low != MIN_VERSION:
            parts.append(f">={low}")
        if high is not None:
            parts.append(f"<{high}")
    return f"vers:{scheme}/{'|'.join(parts) or '*'}"


def pypi_vers(spec: str) -> str | None:
    """PEP 440 specifiers (``>=2,<3``) as ``vers:pypi/>=2|<3``, or None when not expressible."""
    try:
        specifiers = list(SpecifierSet(spec))
    except InvalidSpecifier:
        return None
    if not specifiers:
        return "vers:pypi/*"
    keyed: list[tuple[Version, str]] = []
    for item in specifiers:
        if item.operator not in _VERS_OPERATORS or item.version.endswith(".*"):
            return None
        try:
            keyed.append((Version(item.version), _VERS_OPERATORS[item.operator] + item.version))
        except InvalidVersion:
            return None
    keyed.sort()
    return "vers:pypi/" + "|".join(text for _, text in keyed)
