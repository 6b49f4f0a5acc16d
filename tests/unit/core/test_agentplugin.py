"""The agent plugin layout: written and read back to the same skill bytes; hostile manifests
refused."""

from __future__ import annotations

import json

import pytest

from tank.core.agentplugin import manifest_document, parse_manifest, plugin_files, plugin_skills
from tank.core.errors import ValidationError
from tank.core.pack import pack_files
from tests.bounded import memory_cap

SKILL = {
    "SKILL.md": (b"---\nname: pdf\ndescription: PDF work.\n---\n# pdf\n", False),
    "skills.json": (b'{"name": "@acme/pdf", "version": "1.0.0"}', False),
    "scripts/run.sh": (b"#!/bin/sh\n", True),
}


def test_round_trip_keeps_the_skill_bytes() -> None:
    doc = manifest_document("pdf", "1.0.0", "PDF work.", {"license": "MIT", "keywords": []})
    assert doc == {"name": "pdf", "version": "1.0.0", "description": "PDF work.", "license": "MIT"}
    layout = plugin_files(doc, {"pdf": SKILL, "other": {"SKILL.md": (b"x", False)}})
    assert layout[".plugin/plugin.json"] == layout[".claude-plugin/plugin.json"]
    assert layout["skills/pdf/scripts/run.sh"] == (b"#!/bin/sh\n", True)
    manifest, skills = plugin_skills(layout)
    assert manifest.name == "pdf" and manifest.version == "1.0.0"
    assert list(skills) == ["other", "pdf"]
    assert pack_files(skills["pdf"]).integrity == pack_files(SKILL).integrity


def test_reads_every_manifest_place_and_skips_folders_without_skill_md() -> None:
    for place in (".plugin/plugin.json", ".claude-plugin/plugin.json", "plugin.json"):
        files = {place: (b'{"name": "p"}', False), "skills/a/SKILL.md": (b"a", False)}
        files["skills/notes/README.md"] = (b"not a skill", False)
        assert list(plugin_skills(files)[1]) == ["a"]


@pytest.mark.parametrize(
    ("files", "code"),
    [
        ({"skills/a/SKILL.md": (b"a", False)}, "plugin.no_manifest"),
        ({"plugin.json": (b'{"name": "p"}', False)}, "plugin.no_skills"),
    ],
)
def test_incomplete_layouts(files: dict[str, tuple[bytes, bool]], code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        plugin_skills(files)
    assert caught.value.code == code and caught.value.hint


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"[]", "plugin.invalid"),
        (b'{"name": "Not Kebab"}', "plugin.invalid"),
        (b'{"name": 7}', "plugin.invalid"),
        (b'{"name": "p", "version": 1}', "plugin.invalid"),
        (b'{"name": "p", "evil": 1}', "plugin.invalid"),
        (b'{"name": ', "plugin.invalid"),
        (b"\xff", "plugin.encoding"),
        (json.dumps({"name": "p", "description": "x" * 300_000}).encode(), "plugin.too_large"),
        (b"[" * 50_000 + b"]" * 50_000, "plugin.too_deep"),
    ],
)
def test_hostile_manifests(data: bytes, code: str) -> None:
    with memory_cap(512), pytest.raises(ValidationError) as caught:
        parse_manifest(data)
    assert caught.value.code == code
