"""Where the client keeps its files: the user's config, its cache, and a project's folders.

Every location can be moved by an environment variable (``TANK_CONFIG_DIR``,
``TANK_CACHE_DIR``, ``TANK_STATE_DIR``, ``TANK_HOME``), so tests, CI and benchmarks run in
isolated folders without touching the real home directory. platformdirs gives the per-OS defaults.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP = "tank"
MANIFEST = "skills.json"
LOCKFILE = "skills.lock"
CANONICAL_DIR = ".agents/skills"
STATE_FILE = ".agents/.tank-install.json"


def config_dir() -> Path:
    """The user's Tank config folder (``config.toml``, credentials, the global project)."""
    override = os.environ.get("TANK_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def cache_dir() -> Path:
    """The content-addressed cache shared by every project of this user."""
    override = os.environ.get("TANK_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP, appauthor=False))


def state_dir() -> Path:
    """What the client remembers between runs about the world outside a project: the keys
    and transparency-log heads it pinned per registry, the newest skill-document serials it
    saw (``TANK_STATE_DIR``, or ``state`` under the config folder, next to the credentials
    it goes with)."""
    override = os.environ.get("TANK_STATE_DIR")
    return Path(override) if override else config_dir() / "state"


def registry_state_file(registry: str, kind: str) -> Path:
    """The state file of ``kind`` (a folder of :func:`state_dir`) for ``registry``: named by
    its host, readable, and a digest of the whole URL, unique."""
    import hashlib
    import re

    host = re.sub(r"[^A-Za-z0-9.-]+", "_", registry.split("://", 1)[-1])[:60]
    digest = hashlib.sha256(registry.rstrip("/").encode()).hexdigest()[:16]
    return state_dir() / kind / f"{host}-{digest}.json"


def home_dir() -> Path:
    """The folder global installs link into (``TANK_HOME`` or the user's home)."""
    override = os.environ.get("TANK_HOME")
    return Path(override) if override else Path.home()


@dataclass(frozen=True, slots=True)
class ProjectPaths:
    """The files of one install target: a project folder, or the user's global install.

    ``manifest`` and ``lockfile`` live in ``meta_root`` (the project folder, or the user config
    folder for ``-g``); skills are linked under ``link_root`` (the project folder, or home).
    """

    meta_root: Path
    link_root: Path
    is_global: bool = False

    @property
    def manifest(self) -> Path:
        """``skills.json``."""
        return self.meta_root / MANIFEST

    @property
    def lockfile(self) -> Path:
        """``skills.lock``."""
        return self.meta_root / LOCKFILE

    @property
    def canonical(self) -> Path:
        """``.agents/skills``: where the canonical copy of every installed skill lives."""
        return self.link_root / CANONICAL_DIR

    @property
    def state(self) -> Path:
        """The install state: which folders and links Tank made (and so may change)."""
        return self.link_root / STATE_FILE


def project_paths(root: Path | None = None, *, is_global: bool = False) -> ProjectPaths:
    """The paths for a project at ``root`` (default: the current folder) or the global install."""
    if is_global:
        return ProjectPaths(config_dir() / "global", home_dir(), is_global=True)
    base = root.absolute() if root is not None else find_project(Path.cwd())
    return ProjectPaths(base, base)


def find_project(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding a skills.json (npm's rule), else ``start``.

    The search stops at the user's home so a stray ``~/skills.json`` never captures projects
    below it by surprise... unless ``start`` is the home itself.
    """
    start = start.absolute()
    home = Path.home()
    for folder in (start, *start.parents):
        if (folder / MANIFEST).is_file():
            return folder
        if folder == home:
            break
    return start
