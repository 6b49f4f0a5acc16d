"""The agent table: every agent Tank links skills for, as data (``agents.json`` next to this).

Each agent has an id (what skills.json ``agents`` and ``tank install --agent`` name), a display
name, the folders it reads skills from in a project and under the home folder, and markers
that show it is in use. The table covers every agent of the ``npx skills`` CLI (the data
file's ``about`` says which version it came from). This module only parses and checks it: the
file is read on first use (never at import time) and every entry is validated, so a bad edit
fails the unit tests rather than an install. Detection (which markers exist) is I/O and lives
in :mod:`tank.client.agents`.

JSON rather than TOML, and read next to this file rather than through ``importlib.resources``:
the no-op ``tank install`` consults the table before anything else loads, and ``tomllib``
plus ``importlib.resources`` cost ~45 ms there, JSON (already loaded) well under one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from tank.core.errors import Problem, ValidationError

#: Where every installed skill's canonical copy lives (project root or home).
CANONICAL = ".agents/skills"
#: A marker starting with this is under the home folder; any other is in the project.
HOME_PREFIX = "~/"
DATA_FILE = "agents.json"
#: The data file is ours, but it is still read within a bound: ~14 KiB today.
MAX_BYTES = 256 * 1024
MAX_AGENTS = 1_000

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_BAD_CHAR = re.compile(r"[\x00-\x1f\x7f\\]")
_FIELDS = frozenset({"id", "name", "aliases", "project", "user", "detect"})
_REQUIRED = ("id", "name", "project")


@dataclass(frozen=True, slots=True)
class Agent:
    """One agent: its id and aliases, display name, skill folders and in-use markers.

    ``project`` folders are relative to the project root and ``user`` folders to the home
    folder; the first one is where links go. ``detect`` holds markers: ``~/x`` under the home
    folder, anything else relative to the project.
    """

    id: str
    name: str
    project: tuple[str, ...]
    user: tuple[str, ...] = ()
    detect: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    def folders(self, *, is_global: bool) -> tuple[str, ...]:
        """The folders this agent reads skills from: under the home (``-g``) or the project."""
        return self.user if is_global else self.project

    def reads_canonical(self, *, is_global: bool) -> bool:
        """True when the agent reads ``.agents/skills`` itself (it needs no link)."""
        return CANONICAL in self.folders(is_global=is_global)

    @property
    def home_markers(self) -> tuple[str, ...]:
        """Markers under the home folder, without their ``~/``."""
        return tuple(m[len(HOME_PREFIX) :] for m in self.detect if m.startswith(HOME_PREFIX))

    @property
    def project_markers(self) -> tuple[str, ...]:
        """Markers relative to the project root."""
        return tuple(m for m in self.detect if not m.startswith(HOME_PREFIX))


def unsafe_folder(path: str) -> str | None:
    """Why ``path`` is not a safe relative folder (``None`` when it is): no absolute path,
    no ``..`` or ``.`` component, no ``\\``, no empty component, no control character."""
    if not path:
        return "is empty"
    if path[0] in "/~" or path[1:2] == ":":
        return "is absolute"
    if _BAD_CHAR.search(path):
        return "holds '\\' or a control character"
    parts = path.split("/")
    if ".." in parts:
        return "contains '..'"
    if "" in parts or "." in parts:
        return "has an empty or '.' component"
    return None


def parse_agents(text: str, *, source: str = DATA_FILE) -> tuple[Agent, ...]:
    """The agents described by ``text`` (JSON: ``{"about": [...], "agents": [{...}]}``),
    every entry checked.

    Raises :class:`ValidationError` (code ``agents_invalid``) listing every problem: unknown
    or missing fields, ids that are not ``a-z 0-9 -``, a name used twice (ids and aliases
    share one namespace), folders or markers that are not safe relative paths, and a table
    without ``claude-code`` (Tank always links for it).
    """
    # Tank's own file, so json.loads after a size bound (boundedjson's pre-scan of depth and
    # numbers would double the time of the no-op install's look at the table).
    if len(text) > MAX_BYTES:
        raise _invalid(source, [f"the file is longer than {MAX_BYTES} characters"])
    try:
        data = json.loads(text)
    except ValueError as error:
        raise _invalid(source, [f"not valid JSON: {error}"]) from None
    if not isinstance(data, dict):
        raise _invalid(source, ["the file must hold one JSON object"])
    problems = [f"unknown top-level key '{k}'" for k in data if k not in ("about", "agents")]
    entries = data.get("agents", [])
    if not isinstance(entries, list) or len(entries) > MAX_AGENTS:
        raise _invalid(source, [f"'agents' must be a list of at most {MAX_AGENTS} objects"])
    agents: list[Agent] = []
    seen: dict[str, str] = {}
    for index, raw in enumerate(entries, start=1):
        agent = _entry(raw, f"agent #{index}", problems)
        if agent is None:
            continue
        for name in (agent.id, *agent.aliases):
            if name in seen:
                problems.append(f"{agent.id}: the name '{name}' is also used by {seen[name]}")
            seen[name] = agent.id
        agents.append(agent)
    if not problems and "claude-code" not in seen:
        problems.append("no 'claude-code' entry (Tank always links skills for Claude Code)")
    if problems:
        raise _invalid(source, problems)
    return tuple(agents)


@cache
def load_agents() -> tuple[Agent, ...]:
    """The shipped agent table (read and checked once, on first use)."""
    return parse_agents(Path(__file__).with_name(DATA_FILE).read_text(encoding="utf-8"))


def agent_names() -> tuple[str, ...]:
    """Every name an agent may be called by (ids and aliases), in table order."""
    return tuple(name for a in load_agents() for name in (a.id, *a.aliases))


def find_agent(name: str) -> Agent | None:
    """The agent called ``name`` (id or alias, any case), or ``None``."""
    return _by_name().get(name.lower())


@cache
def _by_name() -> dict[str, Agent]:
    return {name: a for a in load_agents() for name in (a.id, *a.aliases)}


def _entry(raw: Any, where: str, problems: list[str]) -> Agent | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be an object")
        return None
    bad = len(problems)
    ident = raw.get("id")
    if isinstance(ident, str) and _ID.match(ident) and len(ident) <= 64:
        where = ident
    problems.extend(f"{where}: unknown field '{k}'" for k in sorted(raw.keys() - _FIELDS))
    problems.extend(f"{where}: '{k}' is required" for k in _REQUIRED if k not in raw)
    for key in ("id", "name"):
        value = raw.get(key)
        if key in raw and not (isinstance(value, str) and 0 < len(value) <= 64):
            problems.append(f"{where}: '{key}' must be a string of 1 to 64 characters")
    lists = {
        k: _strings(raw.get(k, []), f"{where}: '{k}'", problems)
        for k in ("aliases", "project", "user", "detect")
    }
    for name in [ident, *lists["aliases"]]:
        if isinstance(name, str) and not (_ID.match(name) and len(name) <= 64):
            problems.append(f"{where}: '{name}' is not a valid id (a-z, 0-9 and '-')")
    if "project" in raw and not lists["project"]:
        problems.append(f"{where}: 'project' needs at least one folder")
    for key in ("project", "user"):
        for folder in lists[key]:
            why = unsafe_folder(folder)
            if why:
                problems.append(f"{where}: {key} folder '{folder}' {why}")
    for marker in lists["detect"]:
        why = unsafe_folder(marker.removeprefix(HOME_PREFIX))
        if why:
            problems.append(f"{where}: marker '{marker}' {why}")
    if len(problems) > bad:
        return None
    return Agent(
        id=str(ident),
        name=str(raw["name"]),
        project=lists["project"],
        user=lists["user"],
        detect=lists["detect"],
        aliases=lists["aliases"],
    )


def _strings(value: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{where} must be a list of strings")
        return ()
    if len(set(value)) != len(value):
        problems.append(f"{where} lists a value twice")
    return tuple(value)


def _invalid(source: str, problems: list[str]) -> ValidationError:
    return ValidationError(
        f"{source}: {len(problems)} problem(s) in the agent table: {problems[0]}",
        code="agents_invalid",
        hint="fix the entries of the agent table (its 'about' describes every field)",
        problems=[Problem(code="agents.invalid", message=p) for p in problems],
    )
