"""Skills installed from the project's own disk: ``"file:./path"`` in skills.json.

The path is a skill folder or a ``.tgz`` made by ``tank pack``, relative to the project. It is
read exactly as the registry would read it (the canonical packer for a folder, the safe
unpacker for an archive), validated leniently, and locked with the integrity of its canonical
tarball: editing the folder changes the integrity, so the next ``tank install`` re-locks it
and a ``--frozen`` one fails until the lockfile is updated.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tank.core.errors import UsageError
from tank.core.gitsource import GitMove, is_git_spec
from tank.core.lockfile import Lockfile, PackageMeta
from tank.core.manifest import LOCAL_PREFIX, Manifest
from tank.core.resolver import Provider
from tank.core.semver import Range, Version, parse_range


@dataclass(frozen=True, slots=True)
class LocalPackage:
    """A skill read from disk: its manifest, canonical tarball bytes and integrity."""

    spec: str  # the path (or git source) as written in skills.json
    manifest: Manifest
    data: bytes
    integrity: str
    #: What skills.lock records as ``resolved`` when it is not ``file:<spec>``: a git
    #: skill's source and commit (:func:`tank.core.gitsource.format_resolved`).
    origin: str | None = None
    #: Set when ``tank update`` moved a git skill off its locked commit (for the report).
    moved: GitMove | None = None

    @property
    def name(self) -> str:
        """``@scope/name``."""
        assert self.manifest.name is not None
        return self.manifest.name

    @property
    def version(self) -> Version:
        """The version its skills.json declares."""
        assert self.manifest.version is not None
        return self.manifest.version

    def meta(self) -> PackageMeta:
        """The lockfile entry's metadata (not scanned: no verdict or score)."""
        return PackageMeta(
            integrity=self.integrity,
            resolved=self.origin or f"{LOCAL_PREFIX}{self.spec}",
            permissions=self.manifest.permissions,
        )


def is_local_spec(text: str) -> bool:
    """True for a command-line argument naming a path rather than a registry skill."""
    return text.startswith(("./", "../", "/", "~")) or text.endswith(".tgz")


def read_local(project: Path, spec: str) -> LocalPackage:
    """Read the folder or .tgz at ``spec`` (relative to ``project``) as a package."""
    # Imported here: the packer and validators cost ~100 ms that installs from a registry
    # never need.
    from tank.client.local import read_skill, require_valid
    from tank.core.integrity import sri_sha512
    from tank.core.skillfolder import validate_skill_folder
    from tank.core.skillmd import Mode
    from tank.core.unpack import read_archive

    path = (project / Path(spec).expanduser()).resolve()
    if path.is_dir():
        skill = read_skill(path, mode=Mode.LENIENT)
        require_valid(skill.report, f"skill {spec}")
        package, data = skill.package, skill.packed.data
    elif path.is_file():
        data = path.read_bytes()
        files = {m.path: m.data for m in read_archive(data) if not m.is_dir}
        package, report = validate_skill_folder(files, folder_name=None, mode=Mode.LENIENT)
        require_valid(report, f"archive {spec}")
    else:
        raise UsageError(
            f"{spec} does not exist (looked for {path})",
            code="no_local_skill",
            hint="give the path of a skill folder or a .tgz made by `tank pack`",
        )
    if package is None or package.manifest is None or package.manifest.name is None:
        raise UsageError(
            f"{spec} has no skills.json with a name and version",
            code="local_not_package",
            hint="run `tank init --skill` in it to give it one",
        )
    return LocalPackage(spec, package.manifest, data, sri_sha512(data))


def read_locals(
    project: Path,
    manifest: Manifest,
    lock: Lockfile | None = None,
    *,
    moving: Collection[str] | None = None,
    offline: bool = False,
) -> dict[str, LocalPackage]:
    """Every ``file:`` and git dependency of ``manifest``, checked to be the package it is
    named as. Git skills are read at the commit ``lock`` records unless they are ``moving``
    (``tank update``): see :func:`tank.client.gitsrc.read_git_dependency`."""
    out: dict[str, LocalPackage] = {}
    for name, spec in sorted(manifest.local.items()):
        if is_git_spec(spec):
            from tank.client.gitsrc import read_git_dependency
            from tank.client.paths import cache_dir

            out[name] = read_git_dependency(
                name, spec, cache_dir(), lock, moving=moving, offline=offline
            )
            continue
        package = read_local(project, spec)
        if package.name != name:
            raise UsageError(
                f"skills.json names {spec} {name}, but its skills.json says {package.name}",
                code="local_name_mismatch",
                hint=f'use "{package.name}": "file:{spec}" in skills.json',
            )
        out[name] = package
    return out


def root_requirements(manifest: Manifest, local: Mapping[str, LocalPackage]) -> dict[str, Range]:
    """What the resolver must satisfy: the ranges, plus ``=version`` for each local skill."""
    roots = dict(manifest.skills)
    for name, package in local.items():
        roots[name] = parse_range(f"={package.version}")
    return roots


class WithLocal:
    """A provider serving local packages itself and everything else from ``inner``."""

    def __init__(self, inner: Provider, local: Mapping[str, LocalPackage]) -> None:
        self._inner = inner
        self._local = dict(local)

    def versions(self, name: str) -> Sequence[Version]:
        """The local version, or the inner provider's versions."""
        if name in self._local:
            return [self._local[name].version]
        return self._inner.versions(name)

    def dependencies(self, name: str, version: Version) -> Mapping[str, Range]:
        """The local package's ranges, or the inner provider's."""
        if name in self._local:
            return self._local[name].manifest.skills
        return self._inner.dependencies(name, version)
