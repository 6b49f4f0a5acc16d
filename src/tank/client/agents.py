"""Which agents a project links skills for, and which agents are in use here.

The table itself is data (:mod:`tank.core.agents`, ``agents.json``: every agent of the
``npx skills`` CLI). The canonical copy is ``.agents/skills/<name>`` (read by Codex, Cursor,
Gemini CLI, Copilot, OpenCode, Amp...). Agents that do not read that folder get a relative
symlink to the canonical copy in their own folder: Claude Code always; the others when the
project's ``agents`` (or ``tank install --agent``) names them or, with neither, when they are
detected: one of their markers exists under the home folder (the agent is installed on this
machine) or, for a project install, in the project (the agent is used there).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tank.client.paths import ProjectPaths, home_dir
from tank.core.agents import CANONICAL, Agent, find_agent, load_agents
from tank.core.errors import UsageError

__all__ = [
    "CANONICAL",
    "Agent",
    "Detection",
    "Overview",
    "agent",
    "detect",
    "detection",
    "mirror_folders",
    "overview",
    "selected",
]


@dataclass(frozen=True, slots=True)
class Detection:
    """One agent and why it counts as in use: the marker found (``~/.claude``, ``.cursor``),
    or ``None`` when none of its markers exists."""

    agent: Agent
    marker: str | None

    @property
    def detected(self) -> bool:
        """True when a marker was found."""
        return self.marker is not None


def agent(name: str) -> Agent:
    """The agent called ``name`` (id or alias); a clear error for an unknown one."""
    found = find_agent(name)
    if found is None:
        import difflib

        ids = [a.id for a in load_agents()]
        close = difflib.get_close_matches(name.lower(), ids, n=3)
        guess = f"did you mean {', '.join(close)}? " if close else ""
        raise UsageError(
            f"unknown agent {name!r}",
            code="unknown_agent",
            hint=f"{guess}`tank agents` lists the {len(ids)} agents Tank knows",
        )
    return found


def detect(a: Agent, *, home: Path, project: Path | None) -> str | None:
    """The first marker of ``a`` that exists (``~/x`` under ``home``, else under ``project``;
    project markers are skipped when ``project`` is ``None``), or ``None``."""
    # Plain strings: the no-op install runs this for every agent (~160 markers).
    for marker in a.home_markers:
        if os.path.lexists(os.path.join(home, marker)):
            return "~/" + marker
    if project is not None:
        for marker in a.project_markers:
            if os.path.lexists(os.path.join(project, marker)):
                return marker
    return None


def detection(root: Path, *, is_global: bool, home: Path | None = None) -> list[Detection]:
    """Every agent of the table with what shows it in use: for a project at ``root``, its
    markers under the home folder and in the project; for ``-g`` (``root`` is the home),
    only the home folder's."""
    home = root if is_global else (home or home_dir())
    project = None if is_global else root
    return [Detection(a, detect(a, home=home, project=project)) for a in load_agents()]


def selected(
    names: tuple[str, ...], root: Path, *, is_global: bool, home: Path | None = None
) -> list[Agent]:
    """The agents to install for: Claude Code, plus ``names`` or, if none, those detected
    (see :func:`detection`), in table order."""
    if names:
        chosen = {agent(n) for n in names}
    else:
        chosen = {d.agent for d in detection(root, is_global=is_global, home=home) if d.detected}
    chosen.add(agent("claude-code"))
    return [a for a in load_agents() if a in chosen]


def mirror_folders(agents: list[Agent], *, is_global: bool) -> list[str]:
    """Folders (relative to the link root) that get a link to each skill: each agent's first
    folder, for agents that do not read the canonical folder (and have a folder there: some
    agents have no user-level skills)."""
    out: list[str] = []
    for a in agents:
        folders = a.folders(is_global=is_global)
        if not folders or CANONICAL in folders:
            continue
        if folders[0] not in out:
            out.append(folders[0])
    return out


@dataclass(frozen=True, slots=True)
class Overview:
    """What ``tank agents`` shows: every agent with its detection, the agents skills.json
    names (empty: none, so detection chooses), and the folders an install links into."""

    detections: list[Detection]
    named: tuple[str, ...]
    linked: list[Agent]
    mirrors: list[str]


def overview(paths: ProjectPaths) -> Overview:
    """The agents of the project (or ``-g`` install) at ``paths``: detected ones, chosen ones
    and the folders ``tank install`` links each skill into there."""
    from tank.client.projectfiles import parse_project

    named: tuple[str, ...] = ()
    if paths.manifest.is_file():
        named = parse_project(paths.manifest.read_bytes(), paths).agents
    found = detection(paths.link_root, is_global=paths.is_global)
    linked = selected(named, paths.link_root, is_global=paths.is_global)
    return Overview(found, named, linked, mirror_folders(linked, is_global=paths.is_global))
