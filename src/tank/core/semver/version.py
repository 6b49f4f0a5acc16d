"""SemVer 2.0.0 versions: strict parsing, canonical text and a precomputed precedence key.

Comparisons happen millions of times during resolution, so every :class:`Version` computes
one flat tuple key when it is built and all of ``==``, ``hash`` and ordering use that key.
Build metadata is kept for display but is not part of the key (SemVer 2.0.0 §10; npm agrees).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final, TypeAlias

from tank.core.errors import VersionError

__all__ = ["MAX_SAFE_INTEGER", "MAX_VERSION_LENGTH", "Version", "parse_version"]

# npm refuses numbers it cannot represent exactly in a JavaScript double, and texts longer
# than 256 characters; we refuse the same so a version Tank accepts is one npm accepts.
MAX_SAFE_INTEGER: Final = 2**53 - 1
MAX_VERSION_LENGTH: Final = 256

# ASCII classes only: Python's ``\d`` also matches non-ASCII digits, which SemVer forbids.
_NUM = r"0|[1-9][0-9]*"
_PRE_ID = r"0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*"
_BUILD_ID = r"[0-9a-zA-Z-]+"
_VERSION_RE: Final = re.compile(
    rf"(?P<major>{_NUM})\.(?P<minor>{_NUM})\.(?P<patch>{_NUM})"
    rf"(?:-(?P<pre>(?:{_PRE_ID})(?:\.(?:{_PRE_ID}))*))?"
    rf"(?:\+(?P<build>{_BUILD_ID}(?:\.{_BUILD_ID})*))?"
)
_PRE_ID_RE: Final = re.compile(_PRE_ID)
_BUILD_ID_RE: Final = re.compile(_BUILD_ID)

_HINT: Final = (
    "a version is MAJOR.MINOR.PATCH with optional -PRERELEASE and +BUILD, "
    "e.g. 1.4.0, 2.0.0-beta.1, 1.0.0+build.5 (no leading zeros, no 'v' prefix)"
)

# Marker placed after major/minor/patch in the key: a release sorts after every prerelease
# of the same major.minor.patch because 1 > 0 (SemVer 2.0.0 §11.3).
_RELEASE: Final = 1
_PRERELEASE: Final = 0

Key: TypeAlias = tuple[object, ...]


def _prerelease_key(ids: tuple[int | str, ...]) -> tuple[tuple[int, int | str], ...]:
    # Numeric identifiers sort before alphanumeric ones and compare numerically; tagging each
    # with 0/1 keeps ints and strs from ever meeting in a comparison (which would raise).
    return tuple([(0, i) if isinstance(i, int) else (1, i) for i in ids])


def _key_of(major: int, minor: int, patch: int, pre: tuple[int | str, ...]) -> Key:
    if pre:
        return (major, minor, patch, _PRERELEASE, *_prerelease_key(pre))
    return (major, minor, patch, _RELEASE)


def _normalise_prerelease(ids: tuple[int | str, ...]) -> tuple[int | str, ...]:
    out: list[int | str] = []
    for ident in ids:
        if isinstance(ident, bool) or not isinstance(ident, int | str):
            raise VersionError(f"invalid prerelease identifier {ident!r}", hint=_HINT)
        if isinstance(ident, int):
            if ident < 0:
                raise VersionError(f"negative prerelease identifier {ident}", hint=_HINT)
            out.append(ident)
        elif not _PRE_ID_RE.fullmatch(ident):
            raise VersionError(f"invalid prerelease identifier {ident!r}", hint=_HINT)
        elif ident.isdigit():
            # "7" and 7 are the same identifier; store ints so equal versions get equal keys.
            out.append(int(ident))
        else:
            out.append(ident)
    return tuple(out)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Version:
    """A SemVer 2.0.0 version with total order by precedence.

    ``==``, ``hash`` and ordering ignore ``build`` (as SemVer and npm do); ``str()`` renders the
    canonical text including build metadata. Build with :func:`parse_version` or directly:
    ``Version(1, 2, 3, prerelease=("beta", 2))``.
    """

    major: int
    minor: int
    patch: int
    prerelease: tuple[int | str, ...] = ()
    build: tuple[str, ...] = ()
    _key: Key = field(init=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("major", "minor", "patch"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise VersionError(f"{name} version must be an integer, got {value!r}", hint=_HINT)
            if not 0 <= value <= MAX_SAFE_INTEGER:
                raise VersionError(
                    f"{name} version {value} is out of range",
                    hint=f"each number must be between 0 and {MAX_SAFE_INTEGER}",
                )
        pre = _normalise_prerelease(tuple(self.prerelease))
        for ident in self.build:
            if not isinstance(ident, str) or not _BUILD_ID_RE.fullmatch(ident):
                raise VersionError(f"invalid build identifier {ident!r}", hint=_HINT)
        object.__setattr__(self, "prerelease", pre)
        object.__setattr__(self, "build", tuple(self.build))
        object.__setattr__(self, "_key", _key_of(self.major, self.minor, self.patch, pre))

    @classmethod
    def _trusted(
        cls,
        major: int,
        minor: int,
        patch: int,
        prerelease: tuple[int | str, ...] = (),
        build: tuple[str, ...] = (),
    ) -> Version:
        # For parts already validated (by the parser, or derived from a valid Version):
        # skipping __init__/__post_init__ makes construction ~5x cheaper, which matters
        # when a resolver parses thousands of versions.
        self = object.__new__(cls)
        setattr_ = object.__setattr__
        setattr_(self, "major", major)
        setattr_(self, "minor", minor)
        setattr_(self, "patch", patch)
        setattr_(self, "prerelease", prerelease)
        setattr_(self, "build", build)
        setattr_(self, "_key", _key_of(major, minor, patch, prerelease))
        return self

    @classmethod
    def parse(cls, text: str) -> Version:
        """Parse strict SemVer 2.0.0 text; raise :class:`VersionError` with a hint otherwise."""
        return parse_version(text)

    @property
    def is_prerelease(self) -> bool:
        """True when the version has prerelease identifiers (``1.0.0-rc.1``)."""
        return bool(self.prerelease)

    @property
    def release(self) -> tuple[int, int, int]:
        """The ``(major, minor, patch)`` triple, without prerelease or build."""
        return (self.major, self.minor, self.patch)

    @property
    def sort_key(self) -> Key:
        """The precomputed precedence key: ``a < b`` exactly when ``a.sort_key < b.sort_key``."""
        return self._key

    def without_build(self) -> Version:
        """This version with build metadata dropped (equal to ``self``, rendered shorter)."""
        if not self.build:
            return self
        return Version._trusted(self.major, self.minor, self.patch, self.prerelease)

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.prerelease:
            text += "-" + ".".join(str(i) for i in self.prerelease)
        if self.build:
            text += "+" + ".".join(self.build)
        return text

    def __repr__(self) -> str:
        return f"Version.parse({str(self)!r})"

    def __hash__(self) -> int:
        return hash(self._key)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Version):
            return self._key == other._key
        return NotImplemented

    def __lt__(self, other: Version) -> bool:
        if isinstance(other, Version):
            return self._key < other._key
        return NotImplemented

    def __le__(self, other: Version) -> bool:
        if isinstance(other, Version):
            return self._key <= other._key
        return NotImplemented

    def __gt__(self, other: Version) -> bool:
        if isinstance(other, Version):
            return self._key > other._key
        return NotImplemented

    def __ge__(self, other: Version) -> bool:
        if isinstance(other, Version):
            return self._key >= other._key
        return NotImplemented


def parse_version(text: str) -> Version:
    """Parse strict SemVer 2.0.0 text such as ``1.2.3-beta.1+build.5``.

    No leading ``v`` or ``=``, no surrounding spaces, no leading zeros: a version written in a
    manifest or lockfile must have exactly one spelling. Raises :class:`VersionError`.
    """
    if not isinstance(text, str):
        raise VersionError(f"a version must be a string, got {type(text).__name__}", hint=_HINT)
    if len(text) > MAX_VERSION_LENGTH:
        raise VersionError(
            f"version is longer than {MAX_VERSION_LENGTH} characters", hint="use a shorter version"
        )
    match = _VERSION_RE.fullmatch(text)
    if match is None:
        raise VersionError(f"invalid version {text!r}", hint=_version_hint(text))
    major, minor, patch = int(match["major"]), int(match["minor"]), int(match["patch"])
    if max(major, minor, patch) > MAX_SAFE_INTEGER:
        raise VersionError(
            f"invalid version {text!r}: a number is too large",
            hint=f"each number must be between 0 and {MAX_SAFE_INTEGER}",
        )
    pre = match["pre"]
    build = match["build"]
    return Version._trusted(
        major,
        minor,
        patch,
        tuple(int(i) if i.isdigit() else i for i in pre.split(".")) if pre else (),
        tuple(build.split(".")) if build else (),
    )


def _version_hint(text: str) -> str:
    # Name the most likely mistake first; the generic rule follows.
    stripped = text.strip()
    if stripped != text:
        return "remove the surrounding whitespace; " + _HINT
    if stripped[:1] in ("v", "V", "="):
        return f"drop the leading {stripped[0]!r}: write {stripped[1:]!r}; " + _HINT
    core = re.split(r"[-+]", stripped, maxsplit=1)[0]
    parts = core.split(".")
    if len(parts) < 3 and all(p.isdigit() for p in parts if p):
        return "write all three numbers (1.2 -> 1.2.0); " + _HINT
    if any(len(p) > 1 and p.startswith("0") and p.isdigit() for p in parts):
        return "numbers must not have leading zeros (01 -> 1); " + _HINT
    return _HINT
