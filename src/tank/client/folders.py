"""Skills from local folders as a resolver provider: the offline path to a lockfile.

Used to lock a project against skills on disk (the example project's ``skills.lock`` is
made this way, with real pack integrities). ``tank install ./path`` reads folders through
:mod:`tank.client.localsrc`, whose package type this shares.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from tank.client.local import read_skill, require_valid
from tank.client.localsrc import LocalPackage
from tank.core.errors import UsageError
from tank.core.lockfile import Lockfile, PackageMeta, build_lockfile, tarball_path
from tank.core.manifest import Manifest
from tank.core.resolver import resolve
from tank.core.semver import Range, Version


class FolderProvider:
    """A :class:`tank.core.resolver.Provider` over skill folders on disk."""

    def __init__(self, roots: Iterable[Path]) -> None:
        self._skills: dict[tuple[str, Version], LocalPackage] = {}
        for root in roots:
            skill = read_skill(root)
            require_valid(skill.report, f"skill {root}")
            assert skill.package is not None and skill.package.manifest is not None
            packed = skill.packed
            entry = LocalPackage(str(root), skill.package.manifest, packed.data, packed.integrity)
            if (entry.name, entry.version) in self._skills:
                raise UsageError(f"{entry.name}@{entry.version} is given twice", code="duplicate")
            self._skills[(entry.name, entry.version)] = entry

    def versions(self, name: str) -> Sequence[Version]:
        """Every version of ``name`` found in the folders."""
        return sorted(v for n, v in self._skills if n == name)

    def dependencies(self, name: str, version: Version) -> Mapping[str, Range]:
        """The ``skills`` ranges of ``name@version``'s manifest."""
        return self._skills[(name, version)].manifest.skills

    def meta(self, name: str, version: Version) -> PackageMeta:
        """Lockfile metadata: real integrity and declared permissions; not yet scanned."""
        skill = self._skills[(name, version)]
        return PackageMeta(
            integrity=skill.integrity,
            resolved=tarball_path(name, version),
            permissions=skill.manifest.permissions,
        )


def lock_project(project: Manifest, provider: FolderProvider) -> Lockfile:
    """Resolve ``project``'s skills against ``provider`` and build its lockfile."""
    resolution = resolve(project.skills, provider)
    meta = {(n, v): provider.meta(n, v) for n, v in resolution.versions.items()}
    budget = project.permissions if "permissions" in project.raw else None
    return build_lockfile(resolution, meta, budget)
