"""Widening a budget by exactly what its violations need, and writing it into skills.json."""

from __future__ import annotations

import json

import pytest

from tank.core.manifest import ManifestKind, parse_manifest
from tank.core.manifest_model import (
    Manifest,
    detect_indent,
    dump_manifest,
    with_widened_permissions,
)
from tank.core.permissions import BudgetViolation, Permissions, check_budget
from tank.core.permissions.budget import widen


def p(data: object) -> Permissions:
    return Permissions.from_json(data)


BUDGET = p(
    {
        "network": {"outbound": ["*.acme.dev"], "max_requests_per_minute": 60},
        "filesystem": {"read": ["./docs/**"]},
        "secrets": ["ACME_KEY"],
    }
)
SKILLS = {
    "@a/net@1.0.0": p(
        {"network": {"outbound": ["api.acme.dev", "evil.example"], "max_requests_per_minute": 90}}
    ),
    "@a/fs@1.0.0": p({"filesystem": {"read": ["./docs/a.md", "./src/**"], "write": ["./out/*"]}}),
    "@a/sh@1.0.0": p({"subprocess": True, "secrets": ["ACME_KEY", "GITHUB_TOKEN"]}),
    "@a/srv@1.0.0": p({"network": {"inbound": True, "max_requests_per_minute": 10}}),
}


def test_adds_exactly_what_is_needed() -> None:
    violations = check_budget(BUDGET, SKILLS)
    wide = widen(BUDGET, violations)
    assert check_budget(wide, SKILLS) == []
    assert wide.outbound == ("*.acme.dev", "evil.example")  # api.acme.dev was covered
    assert wide.inbound is True
    assert wide.max_requests_per_minute == 90  # the highest asked, not the sum
    assert wide.filesystem.read == ("./docs/**", "./src/**")  # ./docs/a.md was covered
    assert wide.filesystem.write == ("./out/*",)
    assert wide.subprocess is True
    assert wide.secrets == ("ACME_KEY", "GITHUB_TOKEN")


def test_nothing_more_than_needed() -> None:
    """Removing any single added entry leaves a violation: each one is necessary."""
    violations = check_budget(BUDGET, SKILLS)
    wide = widen(BUDGET, violations).to_json()
    cuts: list[dict[str, object]] = []
    for host in ("evil.example",):
        cut = json.loads(json.dumps(wide))
        cut["network"]["outbound"].remove(host)
        cuts.append(cut)
    for key, item in (("read", "./src/**"), ("write", "./out/*")):
        cut = json.loads(json.dumps(wide))
        cut["filesystem"][key].remove(item)
        cuts.append(cut)
    cut = json.loads(json.dumps(wide))
    cut["secrets"].remove("GITHUB_TOKEN")
    cuts.append(cut)
    for flag in ("subprocess",):
        cut = json.loads(json.dumps(wide))
        del cut[flag]
        cuts.append(cut)
    cut = json.loads(json.dumps(wide))
    del cut["network"]["inbound"]
    cuts.append(cut)
    cut = json.loads(json.dumps(wide))
    cut["network"]["max_requests_per_minute"] = 89
    cuts.append(cut)
    for smaller in cuts:
        assert check_budget(p(smaller), SKILLS), smaller


def test_no_violations_change_nothing() -> None:
    assert widen(BUDGET, []) == BUDGET
    assert widen(Permissions.none(), []) == Permissions.none()


def test_from_an_empty_budget_and_an_unlimited_skill() -> None:
    skills = {"@a/x@1.0.0": p({"network": {"outbound": ["api.example.com"]}})}
    assert widen(Permissions.none(), check_budget(Permissions.none(), skills)) == p(
        {"network": {"outbound": ["api.example.com"]}}
    )
    limited = p({"network": {"outbound": ["api.example.com"], "max_requests_per_minute": 5}})
    violations = check_budget(limited, skills)
    assert [v.requested for v in violations] == ["unlimited"]
    wide = widen(limited, violations)
    assert wide.max_requests_per_minute is None  # a skill declaring no limit needs none
    assert check_budget(wide, skills) == []


def test_unknown_violation_is_a_caller_bug() -> None:
    bad = BudgetViolation("@a/x@1.0.0", "network.telepathy", "yes", "why", "hint")
    with pytest.raises(ValueError, match="telepathy"):
        widen(BUDGET, [bad])


def project(text: str) -> Manifest:
    manifest, report = parse_manifest(text, kind=ManifestKind.PROJECT)
    assert manifest is not None, report.problems
    return manifest


def test_rewrite_keeps_order_spelling_and_indent() -> None:
    text = (
        "{\n"
        '    "name": "p",\n'
        '    "permissions": {\n'
        '        "secrets": ["ACME_KEY"],\n'
        '        "network": {"max_requests_per_minute": 60, "outbound": ["API.acme.dev"]},\n'
        '        "subprocess": false\n'
        "    },\n"
        '    "skills": {"@a/x": "^1.0.0"},\n'
        '    "audit": {"min_score": 1}\n'
        "}\n"
    )
    manifest = project(text)
    skills = {
        "@a/x@1.0.0": p(
            {
                "network": {
                    "outbound": ["api.acme.dev", "b.example"],
                    "max_requests_per_minute": 9,
                },
                "secrets": ["GH"],
                "subprocess": True,
            }
        )
    }
    wide = widen(manifest.permissions, check_budget(manifest.permissions, skills))
    new = with_widened_permissions(manifest, wide)
    assert new.permissions == wide
    raw = new.raw
    assert list(raw) == ["name", "permissions", "skills", "audit"]
    assert list(raw["permissions"]) == ["secrets", "network", "subprocess"]
    assert raw["permissions"]["network"] == {
        "max_requests_per_minute": 60,
        "outbound": ["API.acme.dev", "b.example"],  # the user's spelling kept, one added
    }
    assert raw["permissions"]["secrets"] == ["ACME_KEY", "GH"]
    assert raw["permissions"]["subprocess"] is True
    assert detect_indent(text) == "    "
    written = dump_manifest(new, indent=detect_indent(text))
    assert written.startswith('{\n    "name": "p",\n    "permissions": {\n        "secrets"')
    assert project(written).permissions == wide
    assert manifest.raw["permissions"]["secrets"] == ["ACME_KEY"]  # the original is untouched


def test_rewrite_adds_a_permissions_section_before_the_project_keys() -> None:
    manifest = project('{"name": "p", "skills": {}, "permissions": {}, "agents": ["codex"]}')
    wide = p({"filesystem": {"write": ["./out/**"]}, "network": {"inbound": True}})
    new = with_widened_permissions(manifest, wide)
    assert new.raw["permissions"] == {
        "network": {"inbound": True},
        "filesystem": {"write": ["./out/**"]},
    }
    assert list(new.raw) == ["name", "skills", "permissions", "agents"]
    assert detect_indent('{"name": "p"}') == 2
    assert detect_indent('{\n\t"name": "p"\n}\n') == "\t"


def test_rewrite_refuses_to_narrow() -> None:
    manifest = project('{"name": "p", "skills": {}, "permissions": {"subprocess": true}}')
    with pytest.raises(ValueError, match="widened"):
        with_widened_permissions(manifest, Permissions.none())
