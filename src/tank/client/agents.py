"""Where each agent finds skills (DESIGN.md's table) and which folders Tank links into.

The canonical copy is ``.agents/skills/<name>`` (read by Codex, Cursor, Gemini CLI, Copilot,
OpenCode...). Agents that do not read that folder get a relative symlink to the canonical
copy in their own folder: Claude Code always; the others when the project's ``agents`` lists
them or, with no ``agents``, when their folder already exists (the agent is in use).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tank.core.errors import UsageError


@dataclass(frozen=True, slots=True)
class Agent:
    """One agent: its id, display name, and skill folders (relative to project / home)."""

    id: str
    title: str
    project: tuple[str, ...]
    user: tuple[str, ...]
    marker_project: str | None = None
    marker_user: str | None = None
    aliases: tuple[str, ...] = ()


CANONICAL = ".agents/skills"

AGENTS: tuple[Agent, ...] = (
    Agent("claude-code", "Claude Code", (".claude/skills",), (".claude/skills",),
          ".claude", ".claude", ("claude",)),
    Agent("codex", "Codex", (CANONICAL,), (CANONICAL, ".codex/skills"), ".codex", ".codex"),
    Agent("cursor", "Cursor", (CANONICAL, ".cursor/skills"), (CANONICAL, ".cursor/skills"),
          ".cursor", ".cursor"),
    Agent("gemini-cli", "Gemini CLI", (".gemini/skills", CANONICAL), (".gemini/skills",),
          ".gemini", ".gemini", ("gemini",)),
    Agent("copilot", "GitHub Copilot", (".github/skills", CANONICAL), (".copilot/skills",),
          None, ".copilot", ("github-copilot",)),
    Agent("opencode", "OpenCode", (".opencode/skills", CANONICAL), (".config/opencode/skills",),
          ".opencode", ".config/opencode"),
    Agent("windsurf", "Windsurf", (".windsurf/skills",), (".codeium/windsurf/skills",),
          ".windsurf", ".codeium/windsurf"),
    Agent("amp", "Amp", (CANONICAL,), (CANONICAL,)),
)  # fmt: skip

_BY_NAME = {name: a for a in AGENTS for name in (a.id, *a.aliases)}


def agent(name: str) -> Agent:
    """The agent called ``name`` (id or alias); a clear error for an unknown one."""
    found = _BY_NAME.get(name.lower())
    if found is None:
        known = ", ".join(a.id for a in AGENTS)
        raise UsageError(
            f"unknown agent {name!r} in skills.json 'agents'",
            code="unknown_agent",
            hint=f"known agents: {known}",
        )
    return found


def selected(names: tuple[str, ...], root: Path, *, is_global: bool) -> list[Agent]:
    """The agents to install for: Claude Code, plus ``names`` or, if none, those detected."""
    chosen = [agent(n) for n in names] if names else [
        a for a in AGENTS if _detected(a, root, is_global=is_global)
    ]  # fmt: skip
    claude = _BY_NAME["claude-code"]
    if claude not in chosen:
        chosen.insert(0, claude)
    return sorted(set(chosen), key=AGENTS.index)


def mirror_folders(agents: list[Agent], *, is_global: bool) -> list[str]:
    """Folders (relative to the link root) that get a link to each skill: agents that do not
    read the canonical folder, each agent's first folder."""
    out: list[str] = []
    for a in agents:
        folders = a.user if is_global else a.project
        if CANONICAL in folders:
            continue
        if folders[0] not in out:
            out.append(folders[0])
    return out


def _detected(a: Agent, root: Path, *, is_global: bool) -> bool:
    marker = a.marker_user if is_global else a.marker_project
    return marker is not None and (root / marker).is_dir()
