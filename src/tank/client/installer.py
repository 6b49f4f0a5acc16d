"""Make a project's skill folders match a lockfile: plan, fetch, stage, switch.

The plan compares the lockfile with the install state (what Tank placed before): skills to
add, change and remove, and links to make. It refuses, before touching anything, to overwrite
a folder or link Tank did not make, and two packages that would share a folder (the same
SKILL.md name in two scopes). Fetching fills the content-addressed cache in parallel
(integrity checked before unpacking); staging links files from the cache into new folders;
the switch is one journaled :class:`~tank.client.transaction.Transaction`.

Skills that stay installed are checked for drift (:mod:`tank.client.repair`): a folder whose
files were edited, added or deleted since Tank placed it is placed again from the cache in
the same transaction, and the plan's ``repaired`` says which files were put back.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Collection, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tank.client import telemetry
from tank.client.cache import ContentCache, Tree
from tank.client.drift import stamps
from tank.client.fsutil import sweep_temp_files
from tank.client.linking import Linker
from tank.client.paths import ProjectPaths
from tank.client.progress import Progress, Silent
from tank.client.repair import Repair, inspect, suspects
from tank.client.state import InstalledSkill, InstallState, dump_state
from tank.client.transaction import Recovery, Transaction, recover
from tank.core.declared import Declared, mismatches, read_declared
from tank.core.errors import IntegrityError, Problem, TankError, UsageError
from tank.core.lockfile import LockedSkill, Lockfile
from tank.core.manifest_rules import is_package_name

Fetch = Callable[[LockedSkill], bytes]
MAX_WORKERS = 16


class ManifestMismatch(IntegrityError):
    """A tarball's own SKILL.md/skills.json disagree with what the registry document and
    skills.lock say about it (name, version, permissions or dependencies)."""

    default_code = "manifest_mismatch"


class InstallConflict(UsageError):
    """A folder or link Tank would write is not Tank's, or two skills want one folder."""

    default_code = "install_conflict"


@dataclass(frozen=True, slots=True)
class Planned:
    """One skill the lockfile wants on disk."""

    folder: str
    skill: LockedSkill


@dataclass
class Plan:
    """What an install will change."""

    wanted: dict[str, Planned]
    add: list[str] = field(default_factory=list)
    change: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    mirrors: tuple[str, ...] = ()
    #: Folders that drifted since they were placed, and what their repair put back.
    repaired: dict[str, Repair] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """True when no folder changes."""
        return not (self.add or self.change or self.remove or self.repaired)


def folder_of(package: str) -> str:
    """The skill folder name of ``@scope/name``: ``name`` (the SKILL.md name)."""
    if not is_package_name(package):
        raise TankError(f"{package!r} is not a skill package name", code="bad_package_name")
    return package.split("/", 1)[1]


def make_plan(
    paths: ProjectPaths, lock: Lockfile, state: InstallState, mirrors: tuple[str, ...]
) -> Plan:
    """Compare ``lock`` with ``state`` and the disk; refuse conflicts before any change."""
    wanted: dict[str, Planned] = {}
    for skill in lock.skills:
        folder = folder_of(skill.name)
        other = wanted.get(folder)
        if other is not None:
            raise InstallConflict(
                f"{other.skill.name} and {skill.name} are both skills named '{folder}'",
                hint="agents find skills by SKILL.md name, so only one can be installed; "
                "remove one of them from skills.json (or from the skill that depends on it)",
            )
        wanted[folder] = Planned(folder, skill)
    plan = Plan(wanted, mirrors=mirrors)
    for folder, planned in sorted(wanted.items()):
        path = paths.canonical / folder
        owned = state.skills.get(folder)
        if owned is None:
            if os.path.lexists(path):
                raise _not_ours(path, planned.skill.name)
            plan.add.append(folder)
        elif owned.integrity != planned.skill.meta.integrity or not path.is_dir():
            plan.change.append(folder)
        for mirror in mirrors:
            link = paths.link_root / mirror / folder
            mine = owned is not None and str(Path(mirror) / folder) in owned.links
            if not mine and os.path.lexists(link):
                raise _not_ours(link, planned.skill.name)
    plan.remove = sorted(set(state.skills) - set(wanted))
    return plan


def _not_ours(path: Path, package: str) -> InstallConflict:
    return InstallConflict(
        f"{path} already exists and was not installed by Tank",
        hint=f"Tank never overwrites folders it did not install; move or delete {path} "
        f"yourself, then install {package} again",
    )


def ensure_trees(
    planned: list[Planned],
    cache: ContentCache,
    fetch: Fetch,
    progress: Progress,
) -> dict[str, Tree]:
    """The unpacked cache tree of every planned skill, downloading what is missing in parallel."""
    trees: dict[str, Tree] = {}
    missing: list[Planned] = []
    for item in planned:
        tree = cache.tree(item.skill.meta.integrity)
        # The tree is keyed by the tarball's digest: re-verify the tarball it came from.
        if (
            tree is not None
            and cache.read_tarball(item.skill.meta.integrity, subject=item.skill.key) is None
        ):
            tree = None
        if tree is None:
            missing.append(item)
        else:
            trees[item.folder] = tree
    telemetry.annotate("tank.install.cache_hits", len(trees))
    telemetry.count("tank.install.cache_hits", len(trees))
    if not missing:
        return trees
    progress.start("download", len(missing))

    def download(item: Planned) -> bytes:
        integrity = item.skill.meta.integrity
        data = cache.read_tarball(integrity, subject=item.skill.key)
        if data is None:
            data = fetch(item.skill)  # verified against the integrity by the fetcher
            cache.store_tarball(integrity, data)
        return data

    # Threads only wait on the network; unpacking (CPU- and file-system-bound) runs after
    # all downloads, on this thread. Unpacking while downloads were still arriving made both
    # twice as slow (the GIL convoy of I/O threads beside a CPU-bound one), and helper
    # processes measured no faster (the file system, not the CPU, is the limit).
    with ThreadPoolExecutor(max_workers=min(MAX_WORKERS, len(missing))) as pool:
        datas = list(pool.map(download, missing))
    for item, data in zip(missing, datas, strict=True):
        trees[item.folder] = cache.unpack(item.skill.meta.integrity, data)
        progress.advance("download")
    progress.finish("download")
    return trees


def check_declared(
    paths: ProjectPaths, plan: Plan, trees: Mapping[str, Tree], cache: ContentCache
) -> None:
    """Refuse, before anything is linked, any skill whose tarball declares another name,
    version, permissions or dependencies than its lock entry (which holds what the
    registry's document claimed, or what skills.lock says).

    Skills being placed are checked from their trees (read once at unpacking); skills
    already installed and unchanged are checked too, from their cached tree's index or the
    installed folder, since skills.lock may have been edited since they were placed.
    """
    for folder, planned in sorted(plan.wanted.items()):
        tree = trees.get(folder)
        declared = tree.declared if tree is not None else None
        if declared is None:
            declared = cache.declared(planned.skill.meta.integrity)
        if declared is None:
            declared = _declared_on_disk(paths.canonical / folder)
        found = mismatches(declared, planned.skill)
        if found:
            skill = planned.skill
            raise ManifestMismatch(
                f"{skill.key}: the tarball does not match what the registry and skills.lock "
                f"say about it ({found[0]})",
                problems=[Problem("install.manifest_mismatch", line) for line in found],
                hint="nothing was installed; a registry that serves this is broken or hostile: "
                "report it to its administrator; if skills.lock was edited by hand, delete it "
                "and run `tank install` to rebuild it",
            )


def _declared_on_disk(folder: Path) -> Declared:
    files: dict[str, bytes] = {}
    for name in ("SKILL.md", "skills.json"):
        with contextlib.suppress(OSError):
            files[name] = (folder / name).read_bytes()
    return read_declared(files)


def apply_plan(
    paths: ProjectPaths,
    plan: Plan,
    state: InstallState,
    cache: ContentCache,
    fetch: Fetch,
    *,
    files: Mapping[Path, bytes | None],
    digests: tuple[str | None, str | None],
    progress: Progress | None = None,
    link_mode: str | None = None,
    deep: bool = False,
    only: Collection[str] | None = None,
) -> InstallState:
    """Carry out ``plan`` and write ``files`` (``None``: delete) in one transaction.

    ``digests`` are the manifest and lockfile digests recorded in the new state for the
    no-op check. Skills that stay installed and drifted are repaired (``plan.repaired``);
    ``deep`` hashes every one of them instead of comparing stamps first; ``only`` limits
    that check to these folders. Returns the new state.
    """
    progress = progress or Silent()
    base = paths.canonical.parent
    fresh = _find_drift(paths, plan, state, cache, fetch, progress, deep=deep, only=only)
    todo = [plan.wanted[f] for f in (*plan.add, *plan.change)]
    trees = ensure_trees(todo, cache, fetch, progress)
    check_declared(paths, plan, trees, cache)
    base.mkdir(parents=True, exist_ok=True)
    tx = Transaction(base)
    linker = Linker(link_mode)
    try:
        progress.start("link", len(todo))
        for item in todo:
            tree = trees[item.folder]
            if "SKILL.md" not in tree.files:
                raise IntegrityError(
                    f"{item.skill.key} has no SKILL.md at its root",
                    code="not_a_skill",
                    hint="the registry should never serve this; report it",
                )
            tx.staging.mkdir(parents=True, exist_ok=True)
            linker.place_tree(tree.path, tx.staging / item.folder, tree.files)
            progress.advance("link")
        new_state = _switch(paths, plan, state, tx, files, digests, fresh)
        tx.commit()
        progress.finish("link")
        return new_state
    except BaseException:
        tx.rollback()
        raise


def _find_drift(
    paths: ProjectPaths,
    plan: Plan,
    state: InstallState,
    cache: ContentCache,
    fetch: Fetch,
    progress: Progress,
    *,
    deep: bool,
    only: Collection[str] | None,
) -> dict[str, dict[str, str]]:
    """Fill ``plan.repaired`` and move drifted folders into ``plan.change``; returns fresh
    stamps of suspects that had not drifted after all."""
    placing = {*plan.add, *plan.change}
    staying = [f for f in sorted(plan.wanted) if f not in placing and (only is None or f in only)]
    # A folder of the same version that vanished (make_plan re-places it) drifted too.
    vanished = [
        f
        for f in plan.change
        if f in state.skills and state.skills[f].integrity == plan.wanted[f].skill.meta.integrity
    ]
    check = [*suspects(paths, staying, state, deep=deep), *vanished]
    if not check:
        return {}
    trees = ensure_trees([plan.wanted[f] for f in check], cache, fetch, progress)
    expected = {f: trees[f].expected for f in check}
    repairs, fresh = inspect(paths, state, expected, plan.mirrors)
    plan.repaired = repairs
    plan.change = sorted({*plan.change, *(f for f, r in repairs.items() if r.files)})
    return fresh


def _switch(
    paths: ProjectPaths,
    plan: Plan,
    state: InstallState,
    tx: Transaction,
    files: Mapping[Path, bytes | None],
    digests: tuple[str | None, str | None],
    fresh: Mapping[str, dict[str, str]],
) -> InstallState:
    skills: dict[str, InstalledSkill] = {}
    for folder in plan.remove:
        for rel in state.skills[folder].links:
            link = paths.link_root / rel
            if os.path.lexists(link):
                tx.retire(link)
        if os.path.lexists(paths.canonical / folder):
            tx.retire(paths.canonical / folder)
    for folder in (*plan.add, *plan.change):
        target = paths.canonical / folder
        if os.path.lexists(target):
            tx.retire(target)
        tx.place(tx.staging / folder, target)
    placed = {*plan.add, *plan.change}
    for folder, planned in sorted(plan.wanted.items()):
        owned = state.skills.get(folder)
        links = _ensure_links(paths, plan.mirrors, folder, owned, tx)
        meta = planned.skill
        if folder in placed:
            stamped = stamps(paths.canonical / folder) or {}
        else:
            stamped = dict(fresh.get(folder, owned.stamps if owned else {}))
        skills[folder] = InstalledSkill(
            meta.name, str(meta.version), meta.meta.integrity, links, stamped
        )
    for path, data in files.items():
        if data is None:
            if path.exists():
                tx.delete(path)
        elif not path.is_file() or path.read_bytes() != data:
            tx.write(path, data)
    new_state = InstallState(skills, digests[0], digests[1], plan.mirrors)
    data = dump_state(new_state)
    if data is None:
        tx.delete(paths.state)
    else:
        tx.write(paths.state, data)
    return new_state


def _ensure_links(
    paths: ProjectPaths,
    mirrors: tuple[str, ...],
    folder: str,
    owned: InstalledSkill | None,
    tx: Transaction,
) -> tuple[str, ...]:
    made: list[str] = []
    for mirror in mirrors:
        rel = str(Path(mirror) / folder)
        link = paths.link_root / rel
        target = os.path.relpath(paths.canonical / folder, link.parent)
        if link.is_symlink() and str(link.readlink()) == target:
            made.append(rel)
            continue
        if os.path.lexists(link):
            tx.retire(link)  # ours (checked by the plan), but stale or a copy
        try:
            tx.link(link, target)
        except OSError:
            # No symlinks here (some file systems, Windows without privilege): copy instead.
            with contextlib.suppress(OSError):
                link.unlink()
            staged = tx.staging / f"copy-{mirror.replace('/', '_')}-{folder}"
            Linker("copy").place_tree(
                paths.canonical / folder, staged, _files_under(paths.canonical / folder)
            )
            tx.place(staged, link)
        made.append(rel)
    # Links of mirrors no longer selected are removed.
    for rel in owned.links if owned else ():
        if rel not in made and os.path.lexists(paths.link_root / rel):
            tx.retire(paths.link_root / rel)
    return tuple(made)


def _files_under(root: Path) -> list[str]:
    return sorted(
        str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and not p.is_symlink()
    )


def recover_project(paths: ProjectPaths) -> Recovery | None:
    """Roll back an install that was killed mid-switch (see :func:`transaction.recover`)."""
    base = paths.canonical.parent
    if not base.is_dir():
        return None
    recovered = recover(base)
    sweep_temp_files(base)
    sweep_temp_files(paths.meta_root)
    return recovered
