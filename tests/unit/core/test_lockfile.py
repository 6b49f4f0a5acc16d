"""skills.lock: building, byte-deterministic output, parsing, and frozen-install checks."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tank.core.errors import ValidationError
from tank.core.integrity import sri_sha512
from tank.core.lockfile import (
    BudgetCheck,
    PackageMeta,
    build_lockfile,
    dump_lockfile,
    parse_lockfile,
    tarball_path,
    unsatisfied,
)
from tank.core.permissions import parse_permissions
from tank.core.resolver import Resolution
from tank.core.schemas import lock_validator
from tank.core.semver import Version, parse_range, parse_version

ROOT = Path(__file__).resolve().parents[3]


def perms(data: object):  # type: ignore[no-untyped-def]
    parsed, problems = parse_permissions(data)
    assert not problems
    return parsed


def v(text: str) -> Version:
    return parse_version(text)


def meta(name: str, version: str, permissions: object = None) -> PackageMeta:
    return PackageMeta(
        integrity=sri_sha512(f"{name}@{version}".encode()),
        resolved=tarball_path(name, v(version)),
        permissions=perms(permissions or {}),
        audit_score=8.0,
        verdict="pass",
    )


RESOLUTION = Resolution(
    versions={"@a/app": v("1.2.0"), "@b/lib": v("2.0.1")},
    dependencies={"@a/app": {"@b/lib": v("2.0.1")}, "@b/lib": {}},
)
META = {
    ("@a/app", v("1.2.0")): meta("@a/app", "1.2.0", {"network": {"outbound": ["api.a.dev"]}}),
    ("@b/lib", v("2.0.1")): meta("@b/lib", "2.0.1", {"filesystem": {"read": ["./docs/**"]}}),
}


def test_build_and_dump_is_canonical() -> None:
    lock = build_lockfile(RESOLUTION, META, budget=None)
    text = dump_lockfile(lock)
    assert text.endswith("}\n") and not text.endswith("\n\n")
    data = json.loads(text)
    assert list(data["skills"]) == ["@a/app@1.2.0", "@b/lib@2.0.1"]
    entry = data["skills"]["@a/app@1.2.0"]
    assert entry["dependencies"] == {"@b/lib": "2.0.1"}
    assert entry["resolved"] == "/v1/skills/@a/app/1.2.0/tarball"
    assert data["resolved_permissions"]["network"]["outbound"] == ["api.a.dev"]
    assert data["resolved_permissions"]["filesystem"]["read"] == ["./docs/**"]
    assert data["permission_budget_check"] == "no_budget"
    # Sorted keys and two-space indentation: re-serialising changes nothing.
    assert json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n" == text
    assert not list(lock_validator().iter_errors(data))


def test_no_host_or_time_in_lockfile() -> None:
    text = dump_lockfile(build_lockfile(RESOLUTION, META, budget=None))
    assert "http" not in text
    assert "time" not in text and "date" not in text


def test_budget_outcomes() -> None:
    fits = perms(
        {"network": {"outbound": ["*.a.dev", "api.a.dev"]}, "filesystem": {"read": ["./**"]}}
    )
    too_small = perms({"filesystem": {"read": ["./**"]}})
    assert build_lockfile(RESOLUTION, META, fits).permission_budget_check is BudgetCheck.PASS
    assert build_lockfile(RESOLUTION, META, too_small).permission_budget_check is BudgetCheck.FAIL


def test_round_trip() -> None:
    lock = build_lockfile(RESOLUTION, META, budget=None)
    again = parse_lockfile(dump_lockfile(lock))
    assert dump_lockfile(again) == dump_lockfile(lock)
    assert again.versions == {"@a/app": v("1.2.0"), "@b/lib": v("2.0.1")}


def test_missing_metadata_is_a_caller_bug() -> None:
    with pytest.raises(ValueError, match="no metadata"):
        build_lockfile(RESOLUTION, {}, budget=None)


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (lambda d: d["skills"]["@a/app@1.2.0"].update(integrity="md5-abc"), "lock.schema"),
        (lambda d: d["skills"]["@a/app@1.2.0"].update(integrity="sha512-AAAA"), "lock."),
        (
            lambda d: d["skills"]["@a/app@1.2.0"].update(dependencies={"@b/lib": "9.9.9"}),
            "lock.dangling",
        ),
        (
            lambda d: d["skills"].update({"@b/lib@2.0.2": d["skills"]["@b/lib@2.0.1"]}),
            "lock.duplicate",
        ),
        (lambda d: d["skills"].update({"nonsense": d["skills"]["@b/lib@2.0.1"]}), None),
        (lambda d: d.pop("skills"), "lock.schema"),
        (lambda d: d.update(lockfileVersion=99), "lock.schema"),
    ],
)
def test_tampered_lockfiles_are_rejected(mutate, code) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(dump_lockfile(build_lockfile(RESOLUTION, META, budget=None)))
    mutate(data)
    with pytest.raises(ValidationError) as caught:
        parse_lockfile(json.dumps(data))
    if code is not None:
        assert any(p.code.startswith(code) for p in caught.value.problems)


def test_invalid_json_has_line() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_lockfile('{\n  "skills": [\n')
    assert caught.value.location is not None
    assert caught.value.location.line is not None


def test_unsatisfied_reasons() -> None:
    lock = build_lockfile(RESOLUTION, META, budget=None)
    assert unsatisfied(lock, {"@a/app": parse_range("^1.0.0")}) == []
    assert unsatisfied(lock, {"@a/app": parse_range("^2.0.0")}) == [
        "@a/app is locked at 1.2.0, outside the range ^2.0.0"
    ]
    reasons = unsatisfied(lock, {"@c/new": parse_range("*")})
    assert "@c/new is required by skills.json but not locked" in reasons
    assert any("nothing in skills.json needs it" in r for r in reasons)


def test_example_project_lockfile_parses() -> None:
    text = (ROOT / "examples" / "project" / "skills.lock").read_text()
    lock = parse_lockfile(text)
    assert lock.skills


@st.composite
def resolutions(draw: st.DrawFn) -> tuple[Resolution, dict[tuple[str, Version], PackageMeta]]:
    names = draw(
        st.lists(
            st.from_regex(r"@[a-c]/[a-e]{1,3}", fullmatch=True), min_size=1, max_size=6, unique=True
        )
    )
    versions = {n: Version(draw(st.integers(0, 3)), draw(st.integers(0, 3)), 0) for n in names}
    deps = {n: {d: versions[d] for d in names if d != n and draw(st.booleans())} for n in names}
    metas = {(n, ver): meta(n, str(ver)) for n, ver in versions.items()}
    return Resolution(versions=versions, dependencies=deps), metas


@settings(max_examples=60, deadline=None)
@given(resolutions(), st.randoms())
def test_same_resolution_same_bytes(case, rnd: random.Random) -> None:  # type: ignore[no-untyped-def]
    resolution, metas = case
    # The same resolution presented in another order gives the same bytes.
    items = list(resolution.versions.items())
    rnd.shuffle(items)
    shuffled = Resolution(
        versions=dict(items),
        dependencies={
            k: dict(reversed(list(vs.items())))
            for k, vs in reversed(list(resolution.dependencies.items()))
        },
    )
    first = dump_lockfile(build_lockfile(resolution, metas, budget=None))
    second = dump_lockfile(
        build_lockfile(shuffled, dict(reversed(list(metas.items()))), budget=None)
    )
    assert first == second
    assert dump_lockfile(parse_lockfile(first)) == first


def test_an_unsafe_override_is_recorded_validated_and_read_back() -> None:
    from tank.core.lockfile import UnsafeOverride, with_overrides

    lock = build_lockfile(RESOLUTION, META, budget=None)
    assert "unsafe_override" not in dump_lockfile(lock)  # absent unless set: old bytes kept
    override = UnsafeOverride("fail", ("capability.undeclared_network", "shell.download_exec"))
    marked = with_overrides(lock, {"@b/lib": override})
    data = json.loads(dump_lockfile(marked))
    assert data["skills"]["@b/lib@2.0.1"]["unsafe_override"] == {
        "verdict": "fail",
        "rules": ["capability.undeclared_network", "shell.download_exec"],
    }
    assert "unsafe_override" not in data["skills"]["@a/app@1.2.0"]
    assert not list(lock_validator().iter_errors(data))
    again = parse_lockfile(dump_lockfile(marked))
    entry = again.get("@b/lib")
    assert entry is not None and entry.meta.unsafe_override == override
    assert dump_lockfile(with_overrides(again, {"@b/lib": None})) == dump_lockfile(lock)
    data["skills"]["@b/lib@2.0.1"]["unsafe_override"] = {"verdict": "pass", "rules": []}
    with pytest.raises(ValidationError):
        parse_lockfile(json.dumps(data))


def test_log_indexes_are_recorded_only_when_proven_and_round_trip() -> None:
    from tank.core.lockfile import with_log_indexes

    lock = build_lockfile(RESOLUTION, META, budget=None)
    assert "log_index" not in dump_lockfile(lock)  # nothing proven: nothing recorded
    proven = with_log_indexes(lock, {"@b/lib@2.0.1": 7})
    data = json.loads(dump_lockfile(proven))
    assert data["skills"]["@b/lib@2.0.1"]["log_index"] == 7
    assert "log_index" not in data["skills"]["@a/app@1.2.0"]
    assert not list(lock_validator().iter_errors(data))
    again = parse_lockfile(dump_lockfile(proven))
    assert again.skills[1].meta.log_index == 7
    data["skills"]["@b/lib@2.0.1"]["log_index"] = -1
    assert list(lock_validator().iter_errors(data))  # the schema refuses a negative index
