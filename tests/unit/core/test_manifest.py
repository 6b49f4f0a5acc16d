"""skills.json: package and project rules, line numbers, lenient mode, dumping and editing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tank.core.agents import agent_names
from tank.core.errors import Severity, ValidationError, VersionError
from tank.core.manifest import (
    Manifest,
    ManifestKind,
    dump_manifest,
    parse_manifest,
    with_dependency,
)
from tank.core.manifest_rules import (
    check_registry_url,
    check_run_path,
    is_package_name,
    split_package_name,
)
from tank.core.schemas import skills_validator
from tank.core.semver import parse_version
from tank.core.skillmd import Mode

PACKAGE: dict[str, Any] = {
    "name": "@acme/pdf-tools",
    "version": "1.4.0",
    "description": "PDF tools",
    "skills": {"@core/markdown-parser": "^1.0.2"},
    "permissions": {"network": {"outbound": ["api.acme.dev"]}},
}


def text(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2) + "\n"


def codes(data: str | bytes | dict[str, Any], **kwargs: Any) -> list[str]:
    _, report = parse_manifest(data, **kwargs)
    return [p.code for p in report.problems]


def ok(data: str | bytes | dict[str, Any], **kwargs: Any) -> Manifest:
    manifest, report = parse_manifest(data, **kwargs)
    assert report.problems == (), [str(p) for p in report.problems]
    assert manifest is not None
    return manifest


def line_with(data: str, needle: str) -> int:
    """The 1-based line of the first occurrence of ``needle`` in ``data``."""
    return data[: data.index(needle)].count("\n") + 1


def line_of(data: str, code: str, **kwargs: Any) -> int | None:
    _, report = parse_manifest(data, **kwargs)
    problem = next(p for p in report.problems if p.code == code)
    assert problem.location is not None and problem.location.file == "skills.json"
    return problem.location.line


# --- packages ---------------------------------------------------------------------------------


def test_package_parses() -> None:
    manifest = ok(text(PACKAGE), skill_name="pdf-tools")
    assert manifest.kind is ManifestKind.PACKAGE
    assert manifest.name == "@acme/pdf-tools"
    assert manifest.version == parse_version("1.4.0")
    assert list(manifest.skills) == ["@core/markdown-parser"]
    assert manifest.permissions.to_json() == {"network": {"outbound": ["api.acme.dev"]}}


def test_package_accepts_bytes_mapping_and_bom() -> None:
    ok(text(PACKAGE).encode(), kind=ManifestKind.PACKAGE)
    ok("\ufeff" + text(PACKAGE), kind=ManifestKind.PACKAGE)
    manifest = ok(PACKAGE, kind=ManifestKind.PACKAGE)
    assert manifest.raw == PACKAGE and manifest.raw is not PACKAGE


def test_package_needs_name_and_version() -> None:
    assert codes("{}", kind=ManifestKind.PACKAGE) == [
        "manifest.name.missing",
        "manifest.version.missing",
        "manifest.description.missing",
    ]


@pytest.mark.parametrize(
    "name", ["pdf-tools", "@acme", "@acme/", "@Acme/pdf", "@acme/pdf_tools", "@-a/b", "@a/b/c"]
)
def test_package_name_must_be_scoped(name: str) -> None:
    found = codes({**PACKAGE, "name": name}, kind=ManifestKind.PACKAGE)
    assert found == ["manifest.name.invalid"]


def test_package_name_must_match_skill_name() -> None:
    data = text(PACKAGE)
    assert codes(data, skill_name="other") == ["manifest.name.mismatch"]
    assert line_of(data, "manifest.name.mismatch", skill_name="other") == 2


def test_invalid_version_points_at_its_line() -> None:
    data = text({**PACKAGE, "version": "1.4"})
    assert codes(data, kind=ManifestKind.PACKAGE) == ["manifest.version.invalid"]
    assert line_of(data, "manifest.version.invalid", kind=ManifestKind.PACKAGE) == 3


def test_missing_description_is_a_warning() -> None:
    manifest, report = parse_manifest({**PACKAGE, "description": ""}, kind=ManifestKind.PACKAGE)
    assert manifest is not None
    assert [(p.code, p.severity) for p in report.problems] == [
        ("manifest.description.missing", Severity.WARNING)
    ]


def test_project_only_keys_are_errors_in_a_package() -> None:
    data = {**PACKAGE, "agents": ["codex"], "registries": {"@acme": "https://r.acme.dev"}}
    assert codes(data, skill_name="pdf-tools") == [
        "manifest.key.project_only",
        "manifest.key.project_only",
    ]
    manifest, report = parse_manifest(data, skill_name="pdf-tools", mode=Mode.LENIENT)
    assert manifest is not None and report.ok
    assert manifest.agents == () and manifest.registries == {}


def test_self_dependency() -> None:
    data = {**PACKAGE, "skills": {"@acme/pdf-tools": "^1.0.0"}}
    assert codes(data, kind=ManifestKind.PACKAGE) == ["manifest.skills.self"]


# --- dependencies, interface, run -------------------------------------------------------------


def test_bad_dependency_range_and_name() -> None:
    data = text({**PACKAGE, "skills": {"@core/a": "^1.0.0", "@core/b": "not a range"}})
    assert codes(data, kind=ManifestKind.PACKAGE) == ["manifest.skills.range_invalid"]
    assert line_of(data, "manifest.skills.range_invalid", kind=ManifestKind.PACKAGE) == 7
    found = codes({**PACKAGE, "skills": {"core/a": "^1"}}, kind=ManifestKind.PACKAGE)
    assert found == ["manifest.skills.invalid"]


def test_interface_schemas_are_checked() -> None:
    good = {"inputs": {"type": "object"}, "outputs": {"type": "array", "items": {}}}
    manifest = ok({**PACKAGE, "interface": good}, kind=ManifestKind.PACKAGE)
    assert manifest.interface is not None and manifest.interface.inputs == {"type": "object"}
    bad = {"inputs": {"type": "objekt"}}
    data = text({**PACKAGE, "interface": bad})
    assert codes(data, kind=ManifestKind.PACKAGE) == ["manifest.interface.schema_invalid"]
    found = codes({**PACKAGE, "interface": {"input": {}}}, kind=ManifestKind.PACKAGE)
    assert found == ["manifest.interface.invalid"]


@pytest.mark.parametrize(
    ("path", "good"),
    [
        ("scripts/main.py", True),
        ("main.py", True),
        ("../main.py", False),
        ("scripts/../../x", False),
        ("/etc/passwd", False),
        ("C:/x.py", False),
        ("scripts\\main.py", False),
        ("scripts//main.py", False),
        ("scripts/", False),
    ],
)
def test_run_path(path: str, good: bool) -> None:
    assert (check_run_path(path) == []) is good
    found = codes({**PACKAGE, "run": path}, kind=ManifestKind.PACKAGE)
    assert found == ([] if good else ["manifest.run.invalid"] * len(check_run_path(path)))


# --- projects ---------------------------------------------------------------------------------

PROJECT: dict[str, Any] = {
    "name": "my-agent-project",
    "skills": {"@examples/weather-report": "^1.0.0"},
    "permissions": {"network": {"outbound": ["*.open-meteo.com"]}},
    "audit": {"min_score": 7, "require_signing": False},
    "agents": ["claude-code", "codex"],
    "registries": {"@acme": "https://skills.acme.dev", "@dev": "http://localhost:8000"},
}


def test_project_parses() -> None:
    manifest = ok(text(PROJECT))
    assert manifest.kind is ManifestKind.PROJECT
    assert manifest.version is None
    assert manifest.audit is not None and manifest.audit.min_score == 7
    assert manifest.audit.require_signing is False
    assert manifest.agents == ("claude-code", "codex")
    assert manifest.registries["@dev"] == "http://localhost:8000"


def test_project_with_no_name_or_version() -> None:
    manifest = ok({"skills": {}})
    assert manifest.kind is ManifestKind.PROJECT and manifest.name is None


def test_unknown_agent_suggests_the_closest_ones() -> None:
    data = text({**PROJECT, "agents": ["claud-code", "codex"]})
    _, report = parse_manifest(data)
    (problem,) = report.problems
    assert problem.code == "manifest.agents.invalid"
    assert "'claud-code' is not one of the" in problem.message
    assert problem.hint is not None and "'claude-code'" in problem.hint
    assert "tank agents" in problem.hint
    assert problem.location is not None
    assert problem.location.line == line_with(data, '"claud-code"')


def test_agent_aliases_are_accepted() -> None:
    manifest = ok({**PROJECT, "agents": ["claude", "github-copilot", "kimi-cli"]})
    assert manifest.agents == ("claude", "github-copilot", "kimi-cli")


def test_known_agents_match_the_schema() -> None:
    """The schema's enum is the agent table's ids and aliases (regenerate it from
    tank.core.agents.agent_names() when agents.json changes)."""
    schema = skills_validator().schema
    assert isinstance(schema, dict)
    assert tuple(schema["properties"]["agents"]["items"]["enum"]) == agent_names()


@pytest.mark.parametrize(
    ("url", "found"),
    [
        ("https://r.acme.dev", []),
        ("https://r.acme.dev:8443/base", []),
        ("http://127.0.0.1:8000", []),
        ("http://[::1]:8000", []),
        ("http://r.acme.dev", ["manifest.registries.insecure"]),
        ("https://user:tok@r.acme.dev", ["manifest.registries.credentials"]),
        ("https://r.acme.dev/?x=1", ["manifest.registries.url_invalid"]),
        ("https://", ["manifest.registries.url_invalid"]),
        ("http://[::1", ["manifest.registries.url_invalid"]),
    ],
)
def test_registry_urls(url: str, found: list[str]) -> None:
    assert [code for code, _, _ in check_registry_url(url)] == found


def test_registry_scope_and_scheme_are_checked_by_the_schema() -> None:
    assert codes({"registries": {"acme": "https://x"}}) == ["manifest.registries.invalid"]
    assert codes({"registries": {"@acme": "ftp://x"}}) == ["manifest.registries.invalid"]


def test_audit_score_range() -> None:
    assert codes({"audit": {"min_score": 11}}) == ["manifest.audit.invalid"]
    assert codes({"audit": {"min_score": -1}}) == ["manifest.audit.invalid"]


def test_package_only_keys_warn_in_a_project() -> None:
    manifest, report = parse_manifest({"agents": ["codex"], "run": "x.py"})
    assert manifest is not None
    assert [p.code for p in report.warnings] == ["manifest.key.package_only"]


def test_auto_kind() -> None:
    assert ok({**PACKAGE, "run": "a.py"}).kind is ManifestKind.PACKAGE
    assert ok({"name": "x", "version": "1.0.0"}).kind is ManifestKind.PROJECT


# --- shape, JSON and keys ---------------------------------------------------------------------


def test_invalid_json_gives_line_and_column() -> None:
    _, report = parse_manifest('{\n  "name": "x",\n}\n')
    (problem,) = report.problems
    assert problem.code == "manifest.json.invalid"
    assert problem.location is not None and (problem.location.line, problem.location.column) == (
        3,
        1,
    )


def test_not_an_object_and_not_utf8() -> None:
    assert codes("[]") == ["manifest.type"]
    assert codes(b'{"name": "\xff"}') == ["manifest.encoding"]


def test_duplicate_keys_are_errors() -> None:
    assert codes('{"name": "a", "name": "b"}') == ["manifest.key.duplicate"]


def test_unknown_key_did_you_mean_and_lenient() -> None:
    data = text({**PACKAGE, "permisions": {}})
    _, report = parse_manifest(data, kind=ManifestKind.PACKAGE)
    (problem,) = report.problems
    assert problem.code == "manifest.key.unknown"
    assert problem.hint == "Did you mean 'permissions'?"
    assert problem.location is not None
    assert problem.location.line == line_with(data, '"permisions"')
    manifest, report = parse_manifest(data, kind=ManifestKind.PACKAGE, mode=Mode.LENIENT)
    assert manifest is not None and report.ok and len(report.warnings) == 1


def test_schema_errors_carry_the_json_path() -> None:
    data = text({**PACKAGE, "keywords": ["a", 3]})
    _, report = parse_manifest(data, kind=ManifestKind.PACKAGE)
    (problem,) = report.problems
    assert problem.code == "manifest.keywords.invalid"
    assert problem.message.startswith("/keywords/1: ")
    assert problem.location is not None and problem.location.line == line_with(data, "3\n")
    # Descriptive keys of the wrong shape are only warnings when reading others' packages.
    manifest, report = parse_manifest(data, kind=ManifestKind.PACKAGE, mode=Mode.LENIENT)
    assert manifest is not None and manifest.keywords == ()


def test_permission_problems_get_file_and_line() -> None:
    data = text({**PACKAGE, "permissions": {"network": {"outbound": ["http://x"]}}})
    _, report = parse_manifest(data, kind=ManifestKind.PACKAGE, file="pkg/skills.json")
    (problem,) = report.problems
    assert problem.code.startswith("permissions.")
    assert problem.location is not None and problem.location.file == "pkg/skills.json"
    assert problem.location.line == line_with(data, '"http://x"')


def test_permissions_stay_errors_in_lenient_mode() -> None:
    data = {**PACKAGE, "permissions": {"network": True}}
    manifest, report = parse_manifest(data, kind=ManifestKind.PACKAGE, mode=Mode.LENIENT)
    assert manifest is None and not report.ok


@given(st.text(max_size=200))
def test_never_raises_on_text(data: str) -> None:
    parse_manifest(data)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=10,
    )
)
def test_never_raises_on_objects(value: object) -> None:
    keys = ["name", "version", "skills", "permissions", "interface", "run", "registries"]
    for key in keys:
        parse_manifest({key: value})
        parse_manifest({key: value}, kind=ManifestKind.PACKAGE, mode=Mode.LENIENT)


# --- names helpers ----------------------------------------------------------------------------


def test_package_name_helpers() -> None:
    assert is_package_name("@a/b") and not is_package_name("a/b")
    assert split_package_name("@acme/pdf-tools") == ("@acme", "pdf-tools")
    with pytest.raises(ValueError):
        split_package_name("pdf-tools")


# --- writing ----------------------------------------------------------------------------------


def test_dump_round_trips_and_keeps_order_and_unknown_keys() -> None:
    source = '{\n  "version": "1.0.0",\n  "name": "@a/b",\n  "$schema": "s.json",\n'
    source += '  "description": "d",\n  "x-custom": [\n    1\n  ]\n}\n'
    manifest, report = parse_manifest(source, kind=ManifestKind.PACKAGE, mode=Mode.LENIENT)
    assert manifest is not None and [p.code for p in report.problems] == ["manifest.key.unknown"]
    assert dump_manifest(manifest) == source


def test_dump_keeps_unicode_and_ends_with_newline() -> None:
    manifest = ok({"name": "projet été"})
    out = dump_manifest(manifest)
    assert "été" in out and out.endswith("}\n") and '  "name"' in out


def test_with_dependency_adds_sorted_before_permissions() -> None:
    manifest = ok({"name": "p", "permissions": {}, "agents": ["codex"]})
    manifest = with_dependency(manifest, "@b/two", "^2.0.0")
    manifest = manifest.with_dependency("@a/one", "~1.2.0")
    assert list(manifest.raw) == ["name", "skills", "permissions", "agents"]
    assert list(manifest.raw["skills"]) == ["@a/one", "@b/two"]
    assert str(manifest.skills["@a/one"].raw) == "~1.2.0"
    again = ok(dump_manifest(manifest))
    assert again.raw == manifest.raw


def test_with_dependency_replaces_in_place_and_keeps_unsorted_order() -> None:
    manifest = ok({"skills": {"@z/z": "^1.0.0", "@a/a": "^1.0.0"}})
    manifest = manifest.with_dependency("@z/z", "^2.0.0").with_dependency("@m/m", "1.0.0")
    assert manifest.raw["skills"] == {"@z/z": "^2.0.0", "@a/a": "^1.0.0", "@m/m": "1.0.0"}
    assert list(manifest.skills) == ["@z/z", "@a/a", "@m/m"]


def test_with_dependency_rejects_bad_input() -> None:
    manifest = ok({})
    with pytest.raises(ValidationError):
        manifest.with_dependency("nope", "^1.0.0")
    with pytest.raises(VersionError):
        manifest.with_dependency("@a/b", "^^1")
    assert manifest.raw == {}


@pytest.mark.parametrize("url", ["localhost:8800", "127.0.0.1:8800", "registry.example.com"])
def test_a_registry_url_without_a_scheme_says_so(url: str) -> None:
    from tank.core.manifest_rules import check_registry_url

    [(code, message, hint)] = check_registry_url(url)
    assert code == "manifest.registries.url_invalid"
    assert "no scheme" in message and f"https://{url}" in hint
