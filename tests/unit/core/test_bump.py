"""Enforced semver: the required bump from manifests, the actual bump of version numbers
(Cargo's rules below 1.0.0), and the suggested version."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tank.core.bump import (
    BumpLevel,
    BumpRequirement,
    actual_bump,
    check_bump,
    next_version,
    required_bump,
)
from tank.core.manifest import Manifest, ManifestKind, parse_manifest
from tank.core.semver import Version, parse_version

MAJOR, MINOR, PATCH = BumpLevel.MAJOR, BumpLevel.MINOR, BumpLevel.PATCH


def manifest(permissions: dict[str, Any] | None = None, **extra: Any) -> Manifest:
    raw = {
        "name": "@acme/pdf",
        "version": "1.0.0",
        "description": "d",
        "permissions": permissions or {},
        **extra,
    }
    found, report = parse_manifest(raw, kind=ManifestKind.PACKAGE)
    assert found is not None, report.problems
    return found


def v(text: str) -> Version:
    return parse_version(text)


NET = {"network": {"outbound": ["api.acme.dev"]}}


def test_no_change_needs_a_patch_only() -> None:
    base = manifest(NET, interface={"inputs": {"type": "object"}})
    assert required_bump(base, base) == BumpRequirement(PATCH, ())


@pytest.mark.parametrize(
    ("old", "new", "level", "reason"),
    [
        ({}, {"network": {"outbound": ["api.evil.dev"]}}, MAJOR,
         "adds network.outbound api.evil.dev, a dangerous permission"),
        ({}, {"subprocess": True}, MAJOR, "adds subprocess, a dangerous permission"),
        (NET, {"network": {"outbound": ["api.acme.dev"], "inbound": True}}, MAJOR,
         "adds network.inbound, a dangerous permission"),
        ({}, {"filesystem": {"read": ["./docs/**"]}}, MINOR, "adds filesystem.read ./docs/**"),
        ({}, {"secrets": ["ACME_KEY"]}, MINOR, "adds secret ACME_KEY"),
        ({"network": {"outbound": ["a.dev"], "max_requests_per_minute": 10}},
         {"network": {"outbound": ["a.dev"], "max_requests_per_minute": 20}}, MINOR,
         "raises network.max_requests_per_minute from 10 to 20"),
    ],
)  # fmt: skip
def test_permission_changes(
    old: dict[str, Any], new: dict[str, Any], level: BumpLevel, reason: str
) -> None:
    found = required_bump(manifest(old), manifest(new))
    assert found.level is level
    assert reason in found.reasons


def test_covered_and_removed_permissions_need_no_bump() -> None:
    wide = manifest({"network": {"outbound": ["*.acme.dev"]}})
    same = manifest({"network": {"outbound": ["*.acme.dev", "api.acme.dev"]}})
    assert required_bump(wide, same).level is PATCH
    assert required_bump(manifest(NET), manifest({})).level is PATCH


def test_every_reason_is_listed() -> None:
    new = manifest({"network": {"outbound": ["a.dev", "b.dev"]}, "secrets": ["K"]})
    found = required_bump(manifest({}), new)
    assert found.level is MAJOR
    assert [r.split(",")[0] for r in found.reasons] == [
        "adds network.outbound a.dev",
        "adds network.outbound b.dev",
        "adds secret K",
    ]


def test_interface_changes_raise_the_level() -> None:
    old = manifest(interface={"inputs": {"type": "object", "properties": {"a": {}}}})
    breaking = manifest(
        interface={"inputs": {"type": "object", "properties": {"a": {}}, "required": ["a"]}}
    )
    additive = manifest(interface={"inputs": {"type": "object", "properties": {"a": {}, "b": {}}}})
    found = required_bump(old, breaking)
    assert found.level is MAJOR
    assert found.reasons == (
        "breaks the interface inputs: /required: property 'a' is now required",
    )
    assert required_bump(old, additive).level is MINOR
    assert required_bump(manifest(), old).level is MINOR  # interface added
    assert required_bump(old, manifest()).level is MAJOR  # interface removed


@pytest.mark.parametrize(
    ("old", "new", "level"),
    [
        ("1.2.3", "1.2.4", PATCH),
        ("1.2.3", "1.3.0", MINOR),
        ("1.2.3", "1.3.7", MINOR),
        ("1.2.3", "2.0.0", MAJOR),
        ("1.2.3", "2.0.0-rc.1", MAJOR),  # prereleases compare on major.minor.patch
        ("1.2.3", "1.2.4-beta", PATCH),
        ("1.2.3-rc.1", "1.2.3", PATCH),
        ("0.3.1", "0.3.2", MINOR),  # Cargo: z is the minor/patch bump in 0.y.z
        ("0.3.1", "0.4.0", MAJOR),  # Cargo: y is the major bump in 0.y.z
        ("0.3.1", "1.0.0", MAJOR),
        ("0.0.3", "0.0.4", MAJOR),  # Cargo: every 0.0.z may break
        ("0.0.3", "0.1.0", MAJOR),
    ],
)
def test_actual_bump(old: str, new: str, level: BumpLevel) -> None:
    assert actual_bump(v(old), v(new)) is level


def test_actual_bump_refuses_going_down() -> None:
    with pytest.raises(ValueError, match="not above"):
        actual_bump(v("2.0.0"), v("1.9.9"))


@pytest.mark.parametrize(
    ("old", "level", "expected"),
    [
        ("1.2.3", MAJOR, "2.0.0"),
        ("1.2.3", MINOR, "1.3.0"),
        ("1.2.3", PATCH, "1.2.4"),
        ("1.2.3-rc.1", PATCH, "1.2.4"),
        ("0.3.1", MAJOR, "0.4.0"),
        ("0.3.1", MINOR, "0.3.2"),
        ("0.0.3", MAJOR, "0.0.4"),
    ],
)
def test_next_version(old: str, level: BumpLevel, expected: str) -> None:
    assert str(next_version(v(old), level)) == expected


def test_check_bump_refuses_a_patch_that_needs_a_major() -> None:
    needs = BumpRequirement(MAJOR, ("adds subprocess, a dangerous permission",))
    found = check_bump(v("1.0.0"), v("1.0.1"), needs)
    assert not found.ok and found.actual is PATCH and str(found.suggested) == "2.0.0"
    assert check_bump(v("1.0.0"), v("2.0.0"), needs).ok
    assert check_bump(v("0.2.0"), v("0.3.0"), needs).ok
    assert not check_bump(v("0.2.0"), v("0.2.1"), needs).ok


_versions = st.builds(Version, st.integers(0, 3), st.integers(0, 3), st.integers(0, 3))


@given(_versions, st.sampled_from(list(BumpLevel)))
def test_the_suggested_version_always_satisfies(old: Version, level: BumpLevel) -> None:
    suggested = next_version(old, level)
    assert suggested > old
    assert actual_bump(old, suggested) >= level
    assert check_bump(old, suggested, BumpRequirement(level)).ok


@given(_versions, _versions)
def test_bigger_bumps_satisfy_smaller_requirements(old: Version, new: Version) -> None:
    if new.release <= old.release:
        return
    level = actual_bump(old, new)
    for required in BumpLevel:
        assert check_bump(old, new, BumpRequirement(required)).ok == (level >= required)
