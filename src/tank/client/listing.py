"""What is installed and what is newer: the data behind ``tank list``, ``where``, ``outdated``."""

from __future__ import annotations

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
from tank.core.errors import TankError, UsageError
from tank.core.semver import Version


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
        direct = set(parse_project(paths.manifest.read_bytes(), paths).skills)
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
    for skill in installed(paths):
        if name in (skill.name, skill.folder.name):
            return skill
    raise UsageError(
        f"{name} is not installed in {paths.meta_root}",
        code="not_installed",
        hint="`tank list` shows installed skills; `tank install NAME` adds one",
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
    was yanked (a reason to move even when nothing newer is allowed)."""
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
        for skill in lock.skills:
            versions = sorted(provider.versions(skill.name), key=lambda v: v.sort_key)
            wanted_range = manifest.skills.get(skill.name)
            wanted: Version | None = None
            if wanted_range is not None:
                allowed = [v for v in versions if wanted_range.contains(v)]
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
                        wanted_range is not None,
                        yanked,
                    )
                )
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
