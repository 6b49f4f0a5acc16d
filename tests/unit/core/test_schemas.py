"""The JSON Schemas: valid Draft 2020-12, accept every example, reject broken documents."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tank.core.manifest import parse_manifest
from tank.core.permissions import check_budget
from tank.core.schemas import (
    LOCK_SCHEMA,
    SKILLS_SCHEMA,
    load_schema,
    lock_validator,
    skills_validator,
)

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
MANIFESTS = sorted(EXAMPLES.rglob("skills.json"))
LOCK_EXAMPLE = EXAMPLES / "project" / "skills.lock"


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", [SKILLS_SCHEMA, LOCK_SCHEMA])
def test_schemas_are_valid_draft_2020_12(name: str) -> None:
    Draft202012Validator.check_schema(load_schema(name))


def test_repository_schemas_folder_is_the_packaged_one() -> None:
    for name in (SKILLS_SCHEMA, LOCK_SCHEMA):
        assert json.loads((ROOT / "schemas" / name).read_text()) == load_schema(name)


def test_unknown_schema_name() -> None:
    with pytest.raises(ValueError):
        load_schema("nope.json")


def test_load_schema_returns_a_copy() -> None:
    load_schema(SKILLS_SCHEMA)["title"] = "changed"
    assert load_schema(SKILLS_SCHEMA)["title"] == "skills.json"


def test_there_are_examples() -> None:
    assert len(MANIFESTS) >= 4


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.parent.name)
def test_every_example_manifest_matches_the_schema(path: Path) -> None:
    errors = [e.message for e in skills_validator().iter_errors(load(path))]
    assert errors == []


def test_example_project_passes_strict_validation_and_its_budget_fits() -> None:
    project, report = parse_manifest((EXAMPLES / "project" / "skills.json").read_text())
    assert report.problems == () and project is not None
    packages = {}
    for path in sorted((EXAMPLES / "skills").glob("*/skills.json")):
        package, report = parse_manifest(path.read_text(), skill_name=path.parent.name)
        assert report.ok and package is not None and package.name is not None
        assert package.name in project.skills
        assert package.version is not None and project.skills[package.name].contains(
            package.version
        )
        packages[package.name] = package.permissions
    assert set(packages) == set(project.skills)
    assert check_budget(project.permissions, packages) == []


@pytest.mark.parametrize(
    "change",
    [
        {"name": 3},
        {"version": ""},
        {"keywords": "pdf"},
        {"skills": {"not-scoped": "^1.0.0"}},
        {"skills": {"@a/b": 1}},
        {"permissions": {"subprocess": "yes"}},
        {"permissions": {"network": {"outbound": "api.acme.dev"}}},
        {"interface": {"inputs": "object"}},
        {"interface": {"other": {}}},
        {"run": ""},
        {"audit": {"min_score": 10.5}},
        {"audit": {"require_signing": "true"}},
        {"agents": ["claud"]},
        {"agents": ["codex", "codex"]},
        {"registries": {"@acme": "ftp://x"}},
        {"unknown": 1},
    ],
)
def test_skills_schema_rejects(change: dict[str, Any]) -> None:
    data = {"name": "@a/b", "version": "1.0.0", **change}
    assert list(skills_validator().iter_errors(data)), change


def test_example_lock_matches_the_schema() -> None:
    assert [e.message for e in lock_validator().iter_errors(load(LOCK_EXAMPLE))] == []


def test_example_lock_is_canonical_json() -> None:
    text = LOCK_EXAMPLE.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _break(lock: dict[str, Any], path: tuple[str, ...], value: object) -> dict[str, Any]:
    broken = copy.deepcopy(lock)
    target = broken
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return broken


ENTRY = ("skills", "@examples/weather-report@1.0.0")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("lockfileVersion",), 2),
        (("permission_budget_check",), "ok"),
        (("resolved_permissions",), KeyError),
        (("skills", "weather-report@1.0.0"), {}),
        (("skills", "@examples/weather-report@latest"), {}),
        ((*ENTRY, "integrity"), "sha256-abc"),
        ((*ENTRY, "resolved"), "https://registry.example/x.tgz"),
        ((*ENTRY, "verdict"), "ok"),
        ((*ENTRY, "audit_score"), 11),
        ((*ENTRY, "signature"), KeyError),
        ((*ENTRY, "dependencies"), {"@a/b": "^1.0.0"}),
        ((*ENTRY, "extra"), 1),
        (("timestamp",), "2024-01-01"),
    ],
)
def test_lock_schema_rejects(path: tuple[str, ...], value: object) -> None:
    broken = _break(load(LOCK_EXAMPLE), path, value)
    assert list(lock_validator().iter_errors(broken))
