"""Drift in installed skills, found and described for the install that repairs it.

``tank install`` (and ``tank verify --repair``) look at every skill that stays installed:

1. :func:`suspects`: folders whose files' stamps differ from those recorded when they were
   placed, or whose mirror links changed (a ``stat`` per file; every folder when ``deep``);
2. :func:`inspect`: each suspect's files hashed and compared with the version's file list
   (the cache tree's index, from the verified tarball) by the core's
   :func:`~tank.core.verification.compare_files`; mirrors checked too.

A suspect whose files all match only gets new stamps; one that drifted is placed again from
the cache by the install's transaction, and its :class:`Repair` says which files were
restored (modified, deleted) and removed (added).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tank.client.drift import found, is_real_dir, link_target, looks_clean, stamps
from tank.client.paths import ProjectPaths
from tank.client.state import InstallState
from tank.core.verification import Drift, DriftKind, Expected, Finding, compare_files

#: How each kind of drift is undone, for the install's report.
_ACTION = {
    DriftKind.MODIFIED: "restored",
    DriftKind.MODE: "restored",
    DriftKind.REMOVED: "restored",
    DriftKind.NOT_A_FILE: "restored",
    DriftKind.ADDED: "removed",
}


@dataclass(frozen=True, slots=True)
class Repair:
    """What was put back in one installed skill: its files, and its agent mirrors."""

    name: str
    version: str
    folder: str
    files: tuple[Drift, ...] = ()
    mirrors: tuple[Finding, ...] = ()

    def lines(self) -> list[str]:
        """``restored scripts/run.sh (modified)``, ``removed notes.txt (added)``,
        ``fixed mirror: .claude/skills/x points to '../../y', not ...``."""
        out = [f"{_ACTION[d.kind]} {d.path} ({d.kind})" for d in self.files]
        out += [f"fixed mirror: {f.message}" for f in self.mirrors]
        return out

    def to_json(self) -> dict[str, object]:
        """``{"name", "version", "folder", "files": [{path, kind, action}], "mirrors"}``."""
        return {
            "name": self.name,
            "version": self.version,
            "folder": self.folder,
            "files": [{**d.to_json(), "action": _ACTION[d.kind]} for d in self.files],
            "mirrors": [f.to_json() for f in self.mirrors],
        }


def mirror_findings(
    canonical: Path, link: Path, rel: str, expected: Mapping[str, Expected] | None
) -> list[Finding]:
    """What is wrong with the mirror ``link`` (``rel`` to the link root) of ``canonical``:
    a link pointing elsewhere, a copy whose files drifted, or nothing there."""
    if link.is_symlink():
        now, want = str(link.readlink()), link_target(canonical, link)
        if now == want:
            return []
        return [Finding("mirror_retargeted", f"{rel} points to {now!r}, not {want!r}", rel)]
    if not os.path.lexists(link):
        return [Finding("mirror_missing", f"{rel} is missing", rel)]
    if not is_real_dir(link):
        return [Finding("mirror_not_a_folder", f"{rel} is not a folder or link", rel)]
    if expected is None:
        return []
    drift = compare_files(expected, found(link, expected) or {})
    return [Finding(f"mirror_{d.kind}", f"{rel}/{d.message}", f"{rel}/{d.path}") for d in drift]


def suspects(
    paths: ProjectPaths,
    folders: Sequence[str],
    state: InstallState,
    *,
    deep: bool = False,
) -> list[str]:
    """The installed ``folders`` that may have drifted (all of them when ``deep``)."""
    out = []
    for folder in folders:
        owned = state.skills.get(folder)
        if owned is None:
            continue
        links = [paths.link_root / rel for rel in owned.links]
        if deep or not looks_clean(paths.canonical / folder, links, owned.stamps):
            out.append(folder)
    return out


def inspect(
    paths: ProjectPaths,
    state: InstallState,
    expected: Mapping[str, Mapping[str, Expected]],
    mirrors: Collection[str],
) -> tuple[dict[str, Repair], dict[str, dict[str, str]]]:
    """Hash each folder in ``expected`` (folder -> its version's files) and its mirrors.

    Returns the repairs needed and fresh stamps for the folders whose own files did not
    drift (suspects for a reason that changed nothing, a ``touch`` or an older state file,
    or whose mirrors only need linking again).
    Only mirrors still selected (``mirrors``) are checked: the others are removed anyway.
    """
    repairs: dict[str, Repair] = {}
    fresh: dict[str, dict[str, str]] = {}
    for folder, files in sorted(expected.items()):
        owned = state.skills[folder]
        canonical = paths.canonical / folder
        drift = compare_files(files, found(canonical, files) or {})
        links: list[Finding] = []
        for rel in owned.links:
            if str(Path(rel).parent) in mirrors:
                link = paths.link_root / rel
                links += mirror_findings(canonical, link, rel, None if drift else files)
        if drift or links:
            repairs[folder] = Repair(owned.package, owned.version, folder, drift, tuple(links))
        if not drift:
            fresh[folder] = stamps(canonical) or {}
    return repairs, fresh
