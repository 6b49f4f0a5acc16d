"""The agent table (agents.json): every shipped entry valid, and the parser refusing bad ones."""

from __future__ import annotations

import json
import posixpath
import re

import pytest

from tank.core.agents import (
    CANONICAL,
    MAX_BYTES,
    agent_names,
    find_agent,
    load_agents,
    parse_agents,
    unsafe_folder,
)
from tank.core.errors import ValidationError

#: The ids of the npm package `skills` 1.3.9 (the version this machine's Node runs): every one
#: must still be a name Tank accepts (`kimi-cli` was renamed `kimi-code-cli` in 1.7).
SKILLS_139 = [
    "amp",
    "antigravity",
    "augment",
    "claude-code",
    "openclaw",
    "cline",
    "codebuddy",
    "codex",
    "command-code",
    "continue",
    "crush",
    "cursor",
    "droid",
    "gemini-cli",
    "github-copilot",
    "goose",
    "junie",
    "iflow-cli",
    "kilo",
    "kimi-cli",
    "kiro-cli",
    "kode",
    "mcpjam",
    "mistral-vibe",
    "mux",
    "opencode",
    "openhands",
    "pi",
    "qoder",
    "qwen-code",
    "replit",
    "roo",
    "trae",
    "trae-cn",
    "windsurf",
    "zencoder",
    "neovate",
    "pochi",
    "adal",
]
#: Tank's ids before the table became data: they must keep working.
TANK_IDS = (
    "claude-code",
    "codex",
    "cursor",
    "gemini-cli",
    "copilot",
    "opencode",
    "windsurf",
    "amp",
)

CLAUDE = {"id": "claude-code", "name": "Claude Code", "project": [".claude/skills"]}


def table(*entries: object, **extra: object) -> str:
    """The JSON text of an agent table holding Claude Code and ``entries``."""
    return json.dumps({"about": ["a test table"], "agents": [CLAUDE, *entries], **extra})


def test_the_shipped_table_covers_npx_skills() -> None:
    agents = load_agents()
    assert len(agents) >= 78
    names = set(agent_names())
    assert set(SKILLS_139) <= names
    assert set(TANK_IDS) <= {a.id for a in agents}


def test_ids_and_aliases_are_unique_and_well_formed() -> None:
    names = agent_names()
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", n) for n in names)
    assert all(a.name.strip() == a.name and a.name for a in load_agents())


def test_every_folder_and_marker_is_relative_and_safe() -> None:
    for a in load_agents():
        paths = [*a.project, *a.user, *a.home_markers, *a.project_markers]
        assert a.project, a.id
        for path in paths:
            assert not path.startswith(("/", "~")), (a.id, path)
            assert ".." not in path.split("/"), (a.id, path)
            assert posixpath.normpath(path) == path, (a.id, path)


def test_aliases_and_case_find_the_same_agent() -> None:
    copilot = find_agent("copilot")
    assert copilot is not None
    assert find_agent("github-copilot") is copilot
    assert find_agent("GitHub-Copilot") is copilot
    kimi = find_agent("kimi-cli")
    assert kimi is not None and kimi.id == "kimi-code-cli"
    assert find_agent("nope") is None


def test_the_canonical_readers_and_the_linked_ones() -> None:
    claude, codex, windsurf = (find_agent(n) for n in ("claude-code", "codex", "windsurf"))
    assert claude is not None and codex is not None and windsurf is not None
    assert not claude.reads_canonical(is_global=False)
    assert codex.reads_canonical(is_global=False) and codex.reads_canonical(is_global=True)
    assert windsurf.folders(is_global=True) == (".codeium/windsurf/skills",)
    assert claude.home_markers == (".claude",) and claude.project_markers == (".claude",)
    assert CANONICAL == ".agents/skills"


def test_a_valid_minimal_table_parses() -> None:
    x = {"id": "x", "name": "X", "aliases": ["ex"], "project": ["x/skills"]}
    claude, parsed = parse_agents(table(x | {"user": [".x/skills"], "detect": ["~/.x", ".x"]}))
    assert claude.user == () and claude.detect == ()
    assert parsed.aliases == ("ex",) and parsed.user == (".x/skills",)
    assert parsed.home_markers == (".x",) and parsed.project_markers == (".x",)


X = {"id": "x", "name": "X", "project": ["x"]}


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        (X | {"project": ["../skills"]}, "contains '..'"),
        (X | {"project": ["/etc/skills"]}, "is absolute"),
        (X | {"project": ["~/skills"]}, "is absolute"),
        (X | {"project": ["a//b"]}, "empty or '.' component"),
        (X | {"project": ["a\\b"]}, "holds '\\'"),
        (X | {"user": ["C:/x"]}, "is absolute"),
        (X | {"detect": ["~/../etc"]}, "contains '..'"),
        (X | {"detect": ["/etc/codex"]}, "is absolute"),
        (X | {"project": []}, "needs at least one folder"),
        ({"id": "x", "name": "X"}, "'project' is required"),
        (X | {"id": "X Y"}, "not a valid id"),
        (X | {"colour": "red"}, "unknown field 'colour'"),
        (X | {"project": "x"}, "must be a list of strings"),
        (X | {"user": ["a", "a"]}, "lists a value twice"),
        (X | {"name": ""}, "1 to 64 characters"),
        (X | {"id": "claude-code"}, "also used by claude-code"),
        (X | {"aliases": ["claude-code"]}, "also used by"),
        (["x"], "must be an object"),
    ],
)
def test_bad_entries_are_refused(entry: object, why: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_agents(table(entry))
    assert caught.value.code == "agents_invalid"
    assert any(why in p.message for p in caught.value.problems), caught.value.problems


def test_a_table_without_claude_code_or_too_big_or_not_json_is_refused() -> None:
    without = json.dumps({"agents": [X]})
    too_big = table(X | {"name": "X", "aliases": ["a"] * (MAX_BYTES // 5)})
    deep = '{"agents": [[[[["x"]]]]]}'
    for text in (without, too_big, deep, '{"agents": [', "[]", table(colour=1)):
        with pytest.raises(ValidationError) as caught:
            parse_agents(text)
        assert caught.value.code == "agents_invalid"


@pytest.mark.parametrize(
    ("path", "safe"),
    [(".claude/skills", True), ("skills", True), ("a/./b", False), ("", False), ("a\x00", False)],
)
def test_unsafe_folder(path: str, safe: bool) -> None:
    assert (unsafe_folder(path) is None) is safe
