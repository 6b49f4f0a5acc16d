"""The tools' schemas: arguments checked before any call, skill outputs kept resolvable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from tank.client.paths import ProjectPaths
from tank.core.errors import ValidationError
from tank.mcp import tools

SUMMARIZER = Path(__file__).parents[3] / "examples/skills/json-summarizer/skills.json"


def test_every_fixed_tool_has_valid_object_schemas() -> None:
    assert [t.name for t in tools.FIXED] == ["search", "info", "install", "audit", "verify", "run"]
    for tool in tools.FIXED:
        for schema in (tool.input_schema, tool.output_schema):
            Draft202012Validator.check_schema(schema)
            assert schema["type"] == "object"


@pytest.mark.parametrize(
    ("name", "arguments"),
    [
        ("search", {"query": "x", "page": 0}),
        ("search", {"nope": 1}),
        ("info", {}),
        ("install", {"names": ["@a/b"] * (tools.MAX_SPECS + 1)}),
        ("run", {"name": "x", "timeout": 0}),
    ],
)
def test_bad_arguments_are_refused_before_any_call(
    tmp_path: Path, name: str, arguments: dict[str, object]
) -> None:
    paths = ProjectPaths(tmp_path, tmp_path)
    with pytest.raises(ValidationError) as refused:
        tools.call(paths, name, arguments)
    assert refused.value.code == "mcp.arguments"


def test_unknown_tools_and_uninstalled_skill_tools_are_refused(tmp_path: Path) -> None:
    paths = ProjectPaths(tmp_path, tmp_path)
    for name in ("rm", "run-json-summarizer"):
        with pytest.raises(ValidationError) as refused:
            tools.call(paths, name, {})
        assert refused.value.code == "mcp.unknown_tool"


def test_skill_outputs_keep_their_refs_under_output() -> None:
    outputs = json.loads(SUMMARIZER.read_text())["interface"]["outputs"]
    schema = tools._hoisted(outputs)
    validator = Draft202012Validator(schema)
    run = {"ok": True, "run_id": "r", "exit": 0, "sandboxed": True}
    good = {"output": {"type": "object", "children": {"a": {"type": "array"}}}, "run": run}
    assert list(validator.iter_errors(good)) == []
    bad = {"output": {"type": "object", "children": {"a": {"type": "weird"}}}, "run": run}
    assert list(validator.iter_errors(bad))
