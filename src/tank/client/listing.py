"""What is installed and what is newer: the data behind ``tank list``, ``where``, ``outdated``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tank.client import status
from tank.client.audit import current_documents, version_summary
from tank.client.config import registry_map
from tank.client.paths import ProjectPaths
from tank.client.projectfiles import parse_project, read_lock
from tank.client.provider import RegistryProvider
from tank.client.registries import Registries
from tank.client.state import read_state
from tank.client.suggest import unknown_in_project
from tank.core.errors import TankError, UsageError
from tank.core.lockfile import Lockfile
from tank.core.semver import Range


@dataclass(frozen=True, slots=True)
class Installed:
    """One installed skill: what, where, and whether skills.json asks for it directly."""

    name: str
    version: str
    folder: Path
    links: tuple[Path, ...]
    direct: bool
    present: bool
    verdict: str | None
    audit_score: float | None

    def to_json(self) -> dict[str, object]:
        """The ``--json`` view."""
        return {
            "name": self.name,
            "version": self.version,
            "path": str(self.folder),
            "links": [str(p) for p in self.links],
            "direct": self.direct,
            "present": self.present,
            "verdict": self.verdict,
            "audit_score": self.audit_score,
        }


def installed(paths: ProjectPaths) -> list[Installed]:
    """Every skill Tank installed here, by name."""
    state = read_state(paths.state)
    direct: set[str] = set()
    if paths.manifest.is_file():
        manifest = parse_project(paths.manifest.read_bytes(), paths)
        direct = {*manifest.skills, *manifest.local}  # from disk (file:) is direct too
    _, lock = read_lock(paths)
    out = []
    for folder, skill in state.skills.items():
        entry = lock.get(skill.package) if lock else None
        out.append(
            Installed(
                skill.package,
                skill.version,
                paths.canonical / folder,
                tuple(paths.link_root / rel for rel in skill.links),
                skill.package in direct,
                (paths.canonical / folder).is_dir(),
                entry.meta.verdict if entry else None,
                entry.meta.audit_score if entry else None,
            )
        )
    return sorted(out, key=lambda s: s.name)


def where(paths: ProjectPaths, name: str) -> Installed:
    """The installed skill called ``name`` (package name or folder name)."""
    skills = installed(paths)
    for skill in skills:
        if name in (skill.name, skill.folder.name):
            return skill
    raise unknown_in_project(
        [name],
        [s.name for s in skills],
        f"installed in {paths.meta_root}",
        "`tank list` shows installed skills; `tank install NAME` adds one",
    )


@dataclass(frozen=True, slots=True)
class Outdated:
    """A skill with a newer version: locked, newest allowed by its range, newest of all."""

    name: str
    current: str
    wanted: str | None
    latest: str | None
    direct: bool
    yanked: bool = False  # the locked version was yanked by its publisher

    def to_json(self) -> dict[str, object]:
        """The ``--json`` view."""
        return {
            "name": self.name,
            "current": self.current,
            "wanted": self.wanted,
            "latest": self.latest,
            "direct": self.direct,
            "yanked": self.yanked,
        }


def outdated(paths: ProjectPaths, *, registry: str | None = None) -> list[Outdated]:
    """Locked skills for which the registry has something newer, or whose locked version
    was yanked (a reason to move even when nothing newer is allowed).

    ``wanted`` is the newest version every range asking for the skill allows: skills.json's
    for a direct skill, the locked dependents' for a dependency.
    """
    if not paths.manifest.is_file():
        if paths.is_global:
            return []  # nothing was ever installed globally: nothing can be outdated
        raise UsageError(
            f"no skills.json in {paths.meta_root}",
            code="no_manifest",
            hint="run it in a project folder, or `tank install NAME` to start one here",
        )
    manifest = parse_project(paths.manifest.read_bytes(), paths)
    _, lock = read_lock(paths)
    if lock is None:
        raise UsageError(
            "there is no skills.lock here", code="no_lock", hint="run `tank install` first"
        )
    routes = registry_map(override=registry, project_registries=manifest.registries)
    out: list[Outdated] = []
    with (
        Registries(routes) as registries,
        RegistryProvider(registries, revalidate=True) as provider,
    ):
        provider.prefetch(s.name for s in lock.skills)
        ranges = _ranges(lock, manifest.skills, provider)
        for skill in lock.skills:
            versions = sorted(provider.versions(skill.name), key=lambda v: v.sort_key)
            asked = ranges.get(skill.name, [])
            allowed = [v for v in versions if asked and all(r.contains(v) for r in asked)]
            wanted = allowed[-1] if allowed else None
            latest = provider.latest(skill.name)
            newer = [
                v for v in (wanted, latest) if v is not None and v.sort_key > skill.version.sort_key
            ]
            doc = provider.document(skill.name) or {}
            yanked = bool(version_summary(doc, skill.version).get("yanked"))
            if newer or yanked:
                out.append(
                    Outdated(
                        skill.name,
                        str(skill.version),
                        str(wanted) if wanted else None,
                        str(latest) if latest else None,
                        skill.name in manifest.skills,
                        yanked,
                    )
                )
    return out


def _ranges(
    lock: Lockfile, direct: Mapping[str, Range], provider: RegistryProvider
) -> dict[str, list[Range]]:
    """Every range asking for each locked skill: skills.json's, then each locked dependent's
    (read from the dependent's version on the registry, as ``tank update`` would)."""
    out: dict[str, list[Range]] = {name: [r] for name, r in direct.items()}
    for skill in lock.skills:
        if not skill.dependencies:
            continue
        declared = provider.dependencies(skill.name, skill.version)
        for dep, _ in skill.dependencies:
            if dep in declared:
                out.setdefault(dep, []).append(declared[dep])
    return out


def yanked_versions(paths: ProjectPaths) -> set[str] | None:
    """The locked ``name@version``s their publisher has yanked: one ``POST /v1/status`` per
    registry (``None`` when no registry could be asked: the caller says it does not know)."""
    _, lock = read_lock(paths)
    if lock is None or not lock.skills:
        return set()
    manifest = parse_project(paths.manifest.read_bytes(), paths)
    routes = registry_map(project_registries=manifest.registries)
    try:
        with Registries(routes) as registries:
            for skill in lock.skills:  # a quick look: one try, no backoff, when offline
                registries.client(routes.for_name(skill.name)).retries = 0
            found, older = status.bulk_statuses(registries, lock.skills)
            if older:  # a registry without the bulk route: its skill documents instead
                documents = current_documents(registries, (s.name for s in older))
                found.update(status.from_documents(older, documents))
    except TankError:  # offline or a registry error: listing still works, marks unknown
        return None
    return set(status.yanked(found))
