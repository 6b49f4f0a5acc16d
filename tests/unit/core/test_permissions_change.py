"""Permission changes between versions (enforced semver) and diffs."""

from __future__ import annotations

import pytest

from tank.core.permissions import (
    DiffEntry,
    PermissionChange,
    Permissions,
    classify_change,
    diff,
)


def p(data: object) -> Permissions:
    return Permissions.from_json(data)


NONE = PermissionChange.NONE
REMOVAL = PermissionChange.REMOVAL
ADDITIVE = PermissionChange.ADDITIVE
DANGEROUS = PermissionChange.ADDITIVE_DANGEROUS


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ({}, {}, NONE),
        ({}, {"network": {"outbound": ["a.dev"]}}, DANGEROUS),
        (
            {"network": {"outbound": ["a.dev"]}},
            {"network": {"outbound": ["a.dev", "b.dev"]}},
            DANGEROUS,
        ),
        ({"network": {"outbound": ["*.a.dev"]}}, {"network": {"outbound": ["x.a.dev"]}}, REMOVAL),
        (
            {"network": {"outbound": ["*.a.dev"]}},
            {"network": {"outbound": ["*.a.dev", "x.a.dev"]}},
            NONE,
        ),
        ({"network": {"outbound": ["x.a.dev"]}}, {"network": {"outbound": ["*.a.dev"]}}, DANGEROUS),
        ({"network": {"outbound": ["a.dev"]}}, {"network": {"outbound": ["*"]}}, DANGEROUS),
        ({}, {"network": {"inbound": True}}, DANGEROUS),
        (
            {"network": {"outbound": ["a.dev"]}},
            {"network": {"outbound": ["a.dev"], "inbound": True}},
            DANGEROUS,
        ),
        ({}, {"subprocess": True}, DANGEROUS),
        ({"subprocess": True}, {}, REMOVAL),
        ({}, {"filesystem": {"read": ["./a"]}}, ADDITIVE),
        ({}, {"filesystem": {"write": ["./a"]}}, ADDITIVE),
        ({"filesystem": {"read": ["./a"]}}, {"filesystem": {"write": ["./a"]}}, ADDITIVE),
        ({"filesystem": {"read": ["./**"]}}, {"filesystem": {"read": ["./docs/**"]}}, REMOVAL),
        ({"filesystem": {"read": ["./docs/**"]}}, {"filesystem": {"read": ["./**"]}}, ADDITIVE),
        ({}, {"secrets": ["K"]}, ADDITIVE),
        ({"secrets": ["K"]}, {}, REMOVAL),
        ({"secrets": ["K"]}, {"secrets": ["J"]}, ADDITIVE),  # mixed: the addition wins
        ({"subprocess": True}, {"network": {"outbound": ["a.dev"]}}, DANGEROUS),
        ({"network": {"outbound": ["a.dev"]}}, {"secrets": ["K"]}, ADDITIVE),
        (
            {"network": {"outbound": ["a.dev"], "max_requests_per_minute": 10}},
            {"network": {"outbound": ["a.dev"], "max_requests_per_minute": 20}},
            ADDITIVE,
        ),
        (
            {"network": {"outbound": ["a.dev"], "max_requests_per_minute": 10}},
            {"network": {"outbound": ["a.dev"]}},
            ADDITIVE,
        ),
        (
            {"network": {"outbound": ["a.dev"]}},
            {"network": {"outbound": ["a.dev"], "max_requests_per_minute": 10}},
            REMOVAL,
        ),
        ({"network": {"outbound": ["a.dev"]}}, {}, REMOVAL),
    ],
)
def test_classify_change(old: object, new: object, expected: PermissionChange) -> None:
    assert classify_change(p(old), p(new)) is expected


def test_diff_lists_exact_entries() -> None:
    old = p({"network": {"outbound": ["a.dev"], "max_requests_per_minute": 10}, "secrets": ["K"]})
    new = p(
        {
            "network": {"outbound": ["a.dev", "b.dev"], "max_requests_per_minute": 20},
            "subprocess": True,
            "filesystem": {"read": ["./x"]},
        }
    )
    result = diff(old, new)
    assert result.added == (
        DiffEntry("filesystem.read", "./x"),
        DiffEntry("network.max_requests_per_minute", "20"),
        DiffEntry("network.outbound", "b.dev"),
        DiffEntry("subprocess", "true"),
    )
    assert result.removed == (
        DiffEntry("network.max_requests_per_minute", "10"),
        DiffEntry("secrets", "K"),
    )
    assert result.as_dict() == {
        "added": {
            "filesystem.read": ["./x"],
            "network.max_requests_per_minute": ["20"],
            "network.outbound": ["b.dev"],
            "subprocess": ["true"],
        },
        "removed": {"network.max_requests_per_minute": ["10"], "secrets": ["K"]},
    }
    assert not result.is_empty
    assert diff(new, new).is_empty


def test_diff_shows_unlimited_and_inbound() -> None:
    result = diff(Permissions.none(), p({"network": {"inbound": True}}))
    assert result.added == (
        DiffEntry("network.inbound", "true"),
        DiffEntry("network.max_requests_per_minute", "unlimited"),
    )
