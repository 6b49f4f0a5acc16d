"""The marketplace.json parser: real shapes accepted, hostile and malformed ones refused with
the JSON path at fault."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tank.core.errors import ValidationError
from tank.core.marketplace import MAX_BYTES, parse_marketplace, skill_sources
from tests.bounded import memory_cap

SHA = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0"


def _market(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "name": "team-tools",
        "owner": {"name": "Team", "email": "team@example.com"},
        "metadata": {"description": "Tools", "version": "1.0.0", "pluginRoot": "./plugins"},
        "plugins": [
            {"name": "local", "source": "./plugins/local", "description": "d", "version": "1.0.0"},
            {
                "name": "gh",
                "source": {"source": "github", "repo": "acme/gh-plugin", "ref": "v2", "sha": SHA},
                "author": {"name": "Acme", "email": "a@example.com"},
                "keywords": ["pdf"],
                "strict": False,
                "hooks": {"PostToolUse": [{"hooks": [{"type": "command", "command": "x"}]}]},
            },
            {"name": "git", "source": {"source": "url", "url": "https://h.example/p.git"}},
            {
                "name": "sub",
                "source": {"source": "git-subdir", "url": "https://h.example/m.git", "path": "p"},
            },
            {"name": "pkg", "source": {"source": "npm", "package": "@acme/plugin"}},
        ],
    }
    doc.update(changes)
    return doc


def _parse(doc: Any) -> Any:
    return parse_marketplace(json.dumps(doc))


def test_reads_every_source_kind() -> None:
    market = _parse(_market())
    assert market.name == "team-tools" and market.owner.email == "team@example.com"
    assert market.plugin_root == "./plugins" and market.version == "1.0.0"
    kinds = {name: (s.kind, s.location) for name, s in skill_sources(market)}
    assert kinds == {
        "local": ("path", "./plugins/local"),
        "gh": ("github", "acme/gh-plugin"),
        "git": ("url", "https://h.example/p.git"),
        "sub": ("git-subdir", "https://h.example/m.git"),
        "pkg": ("npm", "@acme/plugin"),
    }
    gh = market.plugins[1]
    assert gh.author == "Acme" and gh.keywords == ("pdf",) and gh.source.sha == SHA


@pytest.mark.parametrize(
    ("doc", "fragment"),
    [
        ([], "$: must be an object"),
        (_market(owner="me"), "$.owner: must be an object"),
        (_market(name="Team Tools"), "$.name"),
        (_market(plugins={}), "$.plugins: must be an array"),
        (_market(extra=1), "unknown key 'extra'"),
        (_market(plugins=[{"name": "x"}]), "$.plugins[0].source"),
        (_market(plugins=[{"name": "x", "source": "../up"}]), "relative path"),
        (_market(plugins=[{"name": "x", "source": "/abs"}]), "relative path"),
        (_market(plugins=[{"name": "x", "source": {"source": "ftp"}}]), "unknown source type"),
        (_market(plugins=[{"name": "x", "source": {"source": "github", "repo": "x"}}]), "repo"),
        (
            _market(
                plugins=[{"name": "x", "source": {"source": "github", "repo": "a/b", "sha": "1"}}]
            ),
            "40-character",
        ),
        (
            _market(plugins=[{"name": "x", "source": {"source": "url", "url": "javascript:x"}}]),
            "git URL",
        ),
        (_market(plugins=[{"name": "x", "source": "./x", "keywords": "pdf"}]), "keywords"),
        (_market(plugins=[{"name": "x", "source": "./x", "strict": "no"}]), "strict"),
        (_market(plugins=[{"name": "x", "source": "./x", "version": 1}]), "version"),
        (
            _market(plugins=[{"name": "x", "source": "./a"}, {"name": "x", "source": "./b"}]),
            "twice",
        ),
        (_market(plugins=[{"name": "x", "source": {"source": "npm"}}]), "package"),
    ],
)
def test_refuses_wrong_shapes_with_the_path(doc: Any, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _parse(doc)
    assert fragment in caught.value.message and caught.value.hint
    assert caught.value.code.startswith("marketplace.")


def test_refuses_huge_deep_and_broken_input() -> None:
    with memory_cap(512), pytest.raises(ValidationError) as huge:
        parse_marketplace(b" " * (MAX_BYTES + 1))
    assert huge.value.code == "marketplace.too_large"
    with memory_cap(512), pytest.raises(ValidationError) as deep:
        parse_marketplace("[" * 100_000 + "]" * 100_000)
    assert deep.value.code == "marketplace.too_deep"
    with pytest.raises(ValidationError) as broken:
        parse_marketplace(b'{"name": ')
    assert broken.value.code == "marketplace.invalid"
    with pytest.raises(ValidationError) as binary:
        parse_marketplace(b"\xff\xfe")
    assert binary.value.code == "marketplace.encoding"
    long_text = _market(description="x" * 5000)
    with pytest.raises(ValidationError, match="characters long"):
        _parse(long_text)
