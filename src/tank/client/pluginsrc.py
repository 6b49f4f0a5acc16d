"""Installing from an agent plugin folder: ``tank install ./my-plugin``.

A plugin (``.plugin/plugin.json`` or ``.claude-plugin/plugin.json`` or ``plugin.json``, and
``skills/<name>/SKILL.md``; see :mod:`tank.core.agentplugin`) is not itself a skill: each of
its skills is. :func:`expand_plugins` turns a command-line path naming a plugin into one path
per skill folder (``./my-plugin/skills/pdf``), which the ordinary local-source path then
reads, validates, packs and locks like any other ``file:`` skill. A plugin ``.tgz`` is
refused with a hint to extract it: a ``file:`` dependency must stay readable on disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tank.core.agentplugin import MANIFESTS, parse_manifest
from tank.core.errors import UsageError

if TYPE_CHECKING:
    from tank.client.operations import Spec


def plugin_skill_paths(spec: str, base: Path) -> list[str] | None:
    """The skill folders (as command-line paths) of the plugin at ``spec``, or None when
    ``spec`` is not a plugin (a skill folder or a skill's .tgz)."""
    path = (base / Path(spec).expanduser()).resolve()
    if path.is_file():
        _refuse_plugin_archive(spec, path)
        return None
    if not path.is_dir() or (path / "SKILL.md").exists():
        return None
    manifest = next((path / m for m in MANIFESTS if (path / m).is_file()), None)
    if manifest is None:
        return None
    parse_manifest(manifest.read_bytes(), file=f"{spec.rstrip('/')}/{manifest.relative_to(path)}")
    skills = sorted(p.parent.name for p in (path / "skills").glob("*/SKILL.md"))
    if not skills:
        raise UsageError(
            f"the plugin {spec} holds no skill",
            code="plugin_no_skills",
            hint="a plugin's skills are at skills/<name>/SKILL.md",
        )
    return [f"{spec.rstrip('/')}/skills/{name}" for name in skills]


def _refuse_plugin_archive(spec: str, path: Path) -> None:
    from tank.core.unpack import read_archive

    if not spec.endswith((".tgz", ".tar.gz")):
        return
    names = {m.path for m in read_archive(path.read_bytes())}
    if "SKILL.md" not in names and any(m in names for m in MANIFESTS):
        raise UsageError(
            f"{spec} is an agent plugin archive, not a skill's",
            code="plugin_archive",
            hint=f"extract it (mkdir plugin && tar -xzf {spec} -C plugin) and install "
            "the folder: `tank install ./plugin`",
        )


def expand_plugins(specs: Sequence[Spec]) -> list[Spec]:
    """``specs`` with every plugin path replaced by its skill folders, in order."""
    from tank.client.operations import Spec

    out: list[Spec] = []
    for spec in specs:
        paths = plugin_skill_paths(spec.path, Path.cwd()) if spec.path else None
        out.extend([Spec("", None, p) for p in paths] if paths else [spec])
    return out
