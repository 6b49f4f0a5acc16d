"""The no-op check for ``tank install``: is the project already exactly as its files say?

Runs before the CLI loads click, httpx or the validators, so a re-run costs a few file reads
and stats. It answers yes only when skills.json and skills.lock have the bytes of the last
successful install (the state file records their digests), no install was interrupted, the
agent folders chosen are the same, and every folder and link Tank made is still as Tank made
it: each file with the stamp (size, mtime, exec bit) recorded when it was placed, no file
added, each mirror link pointing at its folder (:func:`tank.client.drift.looks_clean`).
Anything else, and the full install runs (which may then find nothing to do, or repair
drifted files from the cache).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tank.client.paths import find_project, project_paths
from tank.client.state import digest, read_state
from tank.client.transaction import JOURNAL


def up_to_date(start: Path | None = None) -> int | None:
    """The number of installed skills when nothing would change, else ``None``."""
    paths = project_paths(find_project(start or Path.cwd()))
    try:
        manifest = paths.manifest.read_bytes()
        lock = paths.lockfile.read_bytes()
    except OSError:
        return None
    if b'"file:' in manifest:
        return None  # a local folder may have changed: only a full install can tell
    state = read_state(paths.state)
    if state.manifest_digest != digest(manifest) or state.lock_digest != digest(lock):
        return None
    if os.path.lexists(paths.canonical.parent / JOURNAL):
        return None
    try:
        agents = json.loads(manifest).get("agents") or []
    except (ValueError, AttributeError):
        return None
    from tank.client.agents import mirror_folders, selected

    try:
        chosen = selected(tuple(agents), paths.link_root, is_global=False)
    except Exception:  # an unknown agent: let the full install report it
        return None
    if tuple(mirror_folders(chosen, is_global=False)) != state.mirrors:
        return None
    from tank.client.drift import looks_clean

    for folder, skill in state.skills.items():
        links = [paths.link_root / rel for rel in skill.links]
        if not looks_clean(paths.canonical / folder, links, skill.stamps):
            return None  # drifted (or maybe: a touch): the full install checks and repairs
    return len(state.skills)
