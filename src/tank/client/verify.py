"""``tank verify``: every installed skill checked against what skills.lock locks, in layers.

The layers (see :mod:`tank.core.verification`) run in order for each locked skill:

1. ``integrity``: the cached tarball is read and re-hashed against the lockfile's integrity,
   then read (safely, in memory) for the version's file list: path, SHA-256, exec bit. The
   tarball is the one source of truth; the cache tree's index is not trusted here.
2. ``files``: every file under ``.agents/skills/<name>`` hashed and compared with that list
   (modified, exec bit changed, deleted, added, replaced by a link); the install state must
   name the same version.
3. ``mirrors``: each agent folder Tank linked (``.claude/skills/<name>``...) is still a link
   to the canonical folder, or a copy holding exactly the version's files.

Further layers (publisher signature, registry attestation, log inclusion) are functions
from a :class:`Subject` to a :class:`~tank.core.verification.LayerResult`, passed to
:func:`verify_skills`; they see the verified tarball and the lock entry. Nothing here
touches the network: a tarball missing from the cache is a finding (``--repair`` fetches).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tank.client.cache import TREE_INDEX, ContentCache
from tank.client.drift import found
from tank.client.installer import Fetch, Plan, Planned, apply_plan, folder_of
from tank.client.paths import ProjectPaths
from tank.client.progress import Progress
from tank.client.repair import Repair, mirror_findings
from tank.client.state import InstalledSkill, InstallState, read_state
from tank.core.errors import IntegrityError, UnsafeArchiveError, UsageError
from tank.core.lockfile import LockedSkill, Lockfile
from tank.core.unpack import read_archive
from tank.core.verification import (
    Expected,
    Finding,
    LayerResult,
    LayerStatus,
    SkillReport,
    compare_files,
    expected_of,
)


@dataclass(frozen=True, slots=True)
class Subject:
    """One locked skill under verification, with what the earlier layers established."""

    paths: ProjectPaths
    skill: LockedSkill
    folder: str
    installed: InstalledSkill | None
    #: The cached tarball, verified against the lockfile's integrity (``None``: it could not be).
    tarball: bytes | None
    #: The version's files, read from that tarball (``None`` when there is no verified one).
    expected: Mapping[str, Expected] | None

    @property
    def canonical(self) -> Path:
        """``.agents/skills/<name>``."""
        return self.paths.canonical / self.folder


#: A verification layer: one question about one skill.
Layer = Callable[[Subject], LayerResult]


def select(skills: Sequence[LockedSkill], names: Sequence[str]) -> list[LockedSkill]:
    """The locked skills named (all when none); an unknown name is NOT_FOUND."""
    if not names:
        return list(skills)
    from tank.client.suggest import unknown_in_project

    by_name = {s.name: s for s in skills}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise unknown_in_project(
            missing,
            by_name,
            "installed in this project",
            "`tank list` shows the installed skills",
        )
    return [by_name[n] for n in dict.fromkeys(names)]


def integrity_layer(
    cache: ContentCache, skill: LockedSkill
) -> tuple[LayerResult, bytes | None, dict[str, Expected] | None]:
    """The ``integrity`` layer, and the verified tarball and file list it yields."""
    integrity = skill.meta.integrity
    try:
        data = cache.read_tarball(integrity, subject=skill.key)
    except IntegrityError as bad:
        where = None if bad.code != "cache_tampered" else str(cache.tarball_file(integrity))
        finding = Finding(bad.code, f"{bad.message} (`tank verify --repair` fetches it)", where)
        return LayerResult.of("integrity", [finding]), None, None
    if data is None:
        finding = Finding(
            "tarball_missing",
            f"{skill.key}: its tarball is not in the cache, so its files cannot be checked "
            "(`tank verify --repair` downloads it again)",
            str(cache.tarball_file(integrity)),
        )
        return LayerResult.of("integrity", [finding]), None, None
    try:
        members = read_archive(data)
    except UnsafeArchiveError as bad:
        finding = Finding(bad.code, f"{skill.key}: {bad.message}")
        return LayerResult.of("integrity", [finding]), data, None
    # The cache's own index file name is never placed (see tank.client.cache._tree).
    files = ((m.path, m.data, m.executable) for m in members if not m.is_dir)
    expected = expected_of(f for f in files if f[0] != TREE_INDEX)
    return LayerResult.of("integrity"), data, expected


def files_layer(subject: Subject) -> LayerResult:
    """The ``files`` layer: the canonical folder against the version's file list."""
    skill, installed = subject.skill, subject.installed
    where = f".agents/skills/{subject.folder}"
    findings: list[Finding] = []
    if installed is None:
        findings.append(
            Finding("not_installed", f"{skill.key} is locked but not installed here", where)
        )
    elif installed.integrity != skill.meta.integrity:
        findings.append(
            Finding(
                "stale_install",
                f"{where} holds {installed.package} {installed.version}, not the locked "
                f"{skill.version} (`tank install` places the locked version)",
                where,
            )
        )
    if subject.expected is None:
        note = "no verified tarball to compare the files with (see the integrity check)"
        if findings:
            return LayerResult("files", LayerStatus.FAILED, tuple(findings), note=note)
        return LayerResult("files", LayerStatus.SKIPPED, note=note)
    on_disk = found(subject.canonical, subject.expected)
    if on_disk is None and installed is not None:
        findings.append(Finding("folder_missing", f"{where} is missing or not a folder", where))
        return LayerResult.of("files", findings)
    drift = compare_files(subject.expected, on_disk or {}) if on_disk is not None else ()
    return LayerResult.of("files", findings, drift)


def mirrors_layer(subject: Subject) -> LayerResult:
    """The ``mirrors`` layer: every agent folder Tank linked the skill into."""
    links = subject.installed.links if subject.installed is not None else ()
    findings: list[Finding] = []
    for rel in links:
        link = subject.paths.link_root / rel
        findings += mirror_findings(subject.canonical, link, rel, subject.expected)
    return LayerResult.of("mirrors", findings, note=None if links else "no agent mirrors")


def verify_skills(
    paths: ProjectPaths,
    cache: ContentCache,
    state: InstallState,
    skills: Sequence[LockedSkill],
    layers: Sequence[Layer] = (),
) -> list[SkillReport]:
    """A report per skill: integrity, files, mirrors, then each extra layer in ``layers``."""
    reports = []
    for skill in skills:
        folder = folder_of(skill.name)
        installed = state.skills.get(folder)
        if installed is not None and installed.package != skill.name:
            installed = None  # another package's folder: not this skill's install
        first, data, expected = integrity_layer(cache, skill)
        subject = Subject(paths, skill, folder, installed, data, expected)
        results = [first, files_layer(subject), mirrors_layer(subject)]
        results += [layer(subject) for layer in layers]
        reports.append(SkillReport(skill.name, str(skill.version), folder, tuple(results)))
    return reports


@dataclass(frozen=True, slots=True)
class Repaired:
    """What ``tank verify --repair`` did: skills put back, cached tarballs thrown away."""

    repairs: tuple[Repair, ...]
    #: ``name@version`` whose cached tarball failed its integrity: deleted and fetched again.
    refetched: tuple[str, ...]


def repair_installed(
    paths: ProjectPaths,
    lock: Lockfile,
    cache: ContentCache,
    fetch: Fetch,
    skills: Sequence[LockedSkill],
    *,
    progress: Progress | None = None,
    link_mode: str | None = None,
) -> Repaired:
    """Put back the files of ``skills`` that drifted, from the cache, and nothing else.

    Every file is hashed (no stamps trusted). The installed versions must be the locked
    ones: installing another version is ``tank install``'s job. A cached tarball that fails
    its integrity is deleted first, so the repair downloads it again (through ``fetch``,
    verified against skills.lock). Hold the project's install lock around this call.
    """
    state = read_state(paths.state)
    wanted: dict[str, Planned] = {}
    stale: list[str] = []
    for skill in lock.skills:
        folder = folder_of(skill.name)
        owned = state.skills.get(folder)
        if owned is None or owned.integrity != skill.meta.integrity:
            stale.append(skill.key)
        wanted[folder] = Planned(folder, skill)
    stale += [f"{s.package}@{s.version}" for f, s in state.skills.items() if f not in wanted]
    if stale:
        raise UsageError(
            f"the installed skills are not those skills.lock locks ({', '.join(sorted(stale))})",
            code="install_stale",
            hint="`tank verify --repair` only puts back files of the installed versions; "
            "run `tank install` to install what skills.lock locks",
        )
    refetched = []
    for skill in skills:
        try:
            cache.read_tarball(skill.meta.integrity, subject=skill.key)
        except IntegrityError:
            refetched.append(skill.key)
            cache.discard(skill.meta.integrity)
    plan = Plan(wanted, mirrors=state.mirrors)
    apply_plan(
        paths,
        plan,
        state,
        cache,
        fetch,
        files={},
        digests=(state.manifest_digest, state.lock_digest),
        progress=progress,
        link_mode=link_mode,
        deep=True,
        only={folder_of(s.name) for s in skills},
    )
    return Repaired(tuple(plan.repaired.values()), tuple(refetched))
