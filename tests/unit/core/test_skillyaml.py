"""Importing skill.yaml and skillrt frontmatter into skills.json, and the OpenAI adapter."""

from __future__ import annotations

from typing import Any

import pytest

from tank.core.errors import ValidationError
from tank.core.manifest import ManifestKind, parse_manifest
from tank.core.openai_adapter import openai_adapter
from tank.core.skillyaml import MAX_BYTES, import_manifest, load_skill_yaml
from tests.bounded import memory_cap

YAML = b"""
name: data-analysis-expert
version: 1.2.3
description: Analyse CSV data.
author: {name: Jane}
license: MIT
tags: [data, csv]
dependencies: ["@core/markdown@^1.0.2", "@core/csv"]
permissions:
  network: [api.example.com]
  fs: {read: ["./data/**"], write: ["./out/**"]}
  env: [EXAMPLE_KEY]
  subprocess: false
colour: blue
"""


def test_skill_yaml_becomes_a_valid_skills_json() -> None:
    imported = import_manifest(load_skill_yaml(YAML), {}, scope="acme")
    data = imported.manifest
    assert data["name"] == "@acme/data-analysis-expert" and data["version"] == "1.2.3"
    assert data["keywords"] == ["data", "csv"]
    assert data["skills"] == {"@core/markdown": "^1.0.2", "@core/csv": "*"}
    assert data["permissions"] == {
        "network": {"outbound": ["api.example.com"]},
        "filesystem": {"read": ["./data/**"], "write": ["./out/**"]},
        "secrets": ["EXAMPLE_KEY"],
        "subprocess": False,
    }
    assert any("author" in n for n in imported.notes)
    assert any("colour" in n for n in imported.notes)
    import json

    manifest, report = parse_manifest(json.dumps(data), kind=ManifestKind.PACKAGE)
    assert report.ok, report.problems
    assert manifest is not None and str(manifest.version) == "1.2.3"


def test_skillrt_frontmatter_fills_what_skill_yaml_leaves_out() -> None:
    front: dict[str, Any] = {
        "name": "@acme/review",
        "description": "Review a PR.",
        "version": "0.3.0",
        "inputs": {"type": "object", "properties": {"pr_url": {"type": "string"}}},
        "outputs": {"type": "object"},
        "permissions": {"network": {"outbound": ["api.github.com"]}},
        "dependencies": {"skills": {"@acme/diff": "^1"}, "mcp": ["github"]},
    }
    imported = import_manifest({}, front, scope=None)
    data = imported.manifest
    assert data["name"] == "@acme/review" and data["version"] == "0.3.0"
    assert data["interface"]["inputs"]["properties"] == {"pr_url": {"type": "string"}}
    assert data["skills"] == {"@acme/diff": "^1"}
    assert any("mcp" in n for n in imported.notes)
    # skill.yaml wins over the frontmatter
    assert import_manifest({"version": "2.0.0"}, front, scope=None).manifest["version"] == "2.0.0"


@pytest.mark.parametrize(
    ("doc", "fragment"),
    [
        ({}, "no name"),
        ({"name": "x"}, "no scope"),
        ({"name": "@a/x", "permissions": {"network": True}}, "network: true"),
        ({"name": "@a/x", "permissions": {"network": "all"}}, "list of hosts"),
        ({"name": "@a/x", "permissions": {"fs": ["./x"]}}, "fs must"),
        ({"name": "@a/x", "permissions": {"env": "KEY"}}, "env must"),
        ({"name": "@a/x", "permissions": {"subprocess": "yes"}}, "true or false"),
        ({"name": "@a/x", "permissions": ["network"]}, "permissions must"),
        ({"name": "@a/x", "dependencies": [1]}, "dependencies must"),
        ({"name": "@a/x", "dependencies": {"@a/y": ["^1"]}}, "dependencies must"),
        ({"name": "@a/x", "tags": "pdf"}, "keywords"),
        ({"name": "@a/x", "description": ["x"]}, "description must"),
        ({"name": "@a/x", "inputs": "string"}, "inputs must"),
    ],
)
def test_wrong_types_are_refused(doc: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        import_manifest(doc, {}, scope=None)
    assert fragment in caught.value.message and caught.value.hint


@pytest.mark.parametrize(
    "data",
    [
        b"x" * (MAX_BYTES + 1),
        b"a: " + b"[" * 10_000 + b"]" * 10_000,
        b"a: &a [x]\nb: [*a, *a]\n",  # aliases (the billion-laughs building block)
        b"- a\n- b\n",
        b"\xff\xfe",
        b"a: [unclosed",
    ],
)
def test_hostile_yaml_is_refused(data: bytes) -> None:
    with memory_cap(512), pytest.raises(ValidationError) as caught:
        load_skill_yaml(data)
    assert caught.value.code == "skill_yaml.invalid"


def test_openai_adapter_is_a_function_tool() -> None:
    inputs = {"type": "object", "properties": {"path": {"type": "string"}}}
    adapter = openai_adapter("@acme/pdf", "1.0.0", "PDF work.", {"interface": {"inputs": inputs}})
    assert adapter["tool"] == {
        "type": "function",
        "name": "pdf",
        "description": "PDF work.",
        "parameters": inputs,
        "strict": False,
    }
    assert adapter["package"] == {"name": "@acme/pdf", "version": "1.0.0"}
    assert adapter["outputs"] is None
    from jsonschema import Draft202012Validator

    from tank.core.schemas import OPENAI_ADAPTER_SCHEMA, load_schema

    schema = load_schema(OPENAI_ADAPTER_SCHEMA)
    Draft202012Validator.check_schema(schema)
    assert not list(Draft202012Validator(schema).iter_errors(adapter))
    broken = {**adapter, "tool": {**adapter["tool"], "name": "bad name"}}
    assert list(Draft202012Validator(schema).iter_errors(broken))
    bare = openai_adapter("@acme/pdf", "1.0.0", "d", {"interface": "junk"})
    assert bare["tool"]["parameters"] == {
        "type": "object",
        "properties": {},
        "additionalProperties": False,
    }
