"""Which paths belong to a skill Tank installed: the guard hook's view of the disk.

Kept free of the client's modules on purpose: the hook runs before every Bash command an
agent issues, so it reads the few files it needs itself (the layout is the one
``tank.client.paths`` documents: ``<root>/.agents/skills/<name>`` is the canonical copy,
``<root>/.agents/.tank-install.json`` says Tank manages the root, other agents' folders are
symlinks to the canonical copy or, where symlinks fail, copies of it).
"""

from __future__ import annotations

import os

CANONICAL = (".agents", "skills")
STATE_FILE = os.path.join(".agents", ".tank-install.json")


class SkillFile:
    """A path inside an installed skill: the skill's folder name, its root, the relative path."""

    __slots__ = ("folder", "is_global", "name", "relative", "root")

    def __init__(self, name: str, folder: str, root: str, relative: str, is_global: bool) -> None:
        self.name, self.folder, self.root = name, folder, root
        self.relative, self.is_global = relative, is_global


def home_root() -> str:
    """The folder global installs link into (``TANK_HOME`` or the home), resolved."""
    return os.path.realpath(os.environ.get("TANK_HOME") or os.path.expanduser("~"))


def _managed(root: str, name: str) -> bool:
    """Whether ``root`` is a Tank install target holding a canonical copy of ``name``."""
    return os.path.isfile(os.path.join(root, STATE_FILE)) and os.path.isfile(
        os.path.join(root, *CANONICAL, name, "SKILL.md")
    )


def _split_skill(path: str) -> tuple[str, str, str] | None:
    """``(root, name, relative)`` for ``<root>/<.agent>/skills/<name>/<relative>``."""
    parts = path.split(os.sep)
    for i in range(len(parts) - 2, 1, -1):
        if parts[i] == "skills" and parts[i - 1].startswith(".") and parts[i + 1]:
            root = os.sep.join(parts[: i - 1]) or os.sep
            return root, parts[i + 1], os.sep.join(parts[i + 2 :])
    return None


def find_skill_file(word: str, cwd: str) -> SkillFile | None:
    """The installed skill ``word`` (a path as typed, relative to ``cwd``) lies in, if any.

    Checked twice: by the path as written (an agent folder holding a copy of the canonical
    folder) and by its real location (a symlink from any agent folder into
    ``.agents/skills``). Either must land in a root Tank manages.
    """
    if not word or "\x00" in word:
        return None
    typed = os.path.normpath(os.path.join(cwd, os.path.expanduser(word)))
    for candidate in (typed, os.path.realpath(typed)):
        split = _split_skill(candidate)
        if split is None:
            continue
        root, name, relative = split
        real_root = os.path.realpath(root)
        if _managed(real_root, name):
            folder = os.path.join(real_root, *CANONICAL, name)
            return SkillFile(name, folder, real_root, relative, real_root == home_root())
    return None


def is_skill_script(word: str, cwd: str) -> SkillFile | None:
    """:func:`find_skill_file` for a regular file (what a shell or interpreter would run)."""
    found = find_skill_file(word, cwd)
    if found is None or not found.relative:
        return None
    path = os.path.join(found.folder, found.relative)
    return found if os.path.isfile(path) else None


def inside_skill(cwd: str) -> SkillFile | None:
    """The skill whose folder ``cwd`` is in (``cd .claude/skills/x`` happened before)."""
    return find_skill_file(".", cwd)
