"""The resolver's view of the outside world: a Provider, and the Resolution it produces.

The algorithm knows nothing of HTTP, caches or lockfiles: a :class:`Provider` feeds it the
published versions of a skill and the dependency ranges of one version. Providers may be slow
(a registry over the network), so the solver asks lazily and at most once per question.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from tank.core.semver.ranges import Range
from tank.core.semver.version import Version

__all__ = ["Provider", "Resolution"]


class Provider(Protocol):
    """Where the resolver learns what exists and what depends on what."""

    def versions(self, name: str) -> Sequence[Version]:
        """Every published (installable) version of skill ``name``, in any order.

        Return an empty sequence when the registry has no skill of that name; the resolver
        reports it as "no skill named ... in the registry".
        """
        ...

    def dependencies(self, name: str, version: Version) -> Mapping[str, Range]:
        """The skills ``name`` at ``version`` depends on, with their version ranges."""
        ...


@dataclass(frozen=True, slots=True)
class Resolution:
    """A complete, consistent choice: one version per skill in the install tree.

    ``versions`` maps every selected skill to its version (the project itself is not listed);
    ``dependencies`` maps every selected skill to the exact versions its dependencies resolved
    to (what a lockfile records). Both are sorted by name, so equal resolutions print equally.
    """

    versions: dict[str, Version] = field(default_factory=dict)
    dependencies: dict[str, dict[str, Version]] = field(default_factory=dict)
