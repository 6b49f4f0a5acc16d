"""Parsing the permissions object: canonical values, problems with stable codes, round trips."""

from __future__ import annotations

import json

import pytest

from tank.core.errors import Location, Severity, ValidationError
from tank.core.permissions import (
    FilesystemPermission,
    InvalidEntry,
    NetworkPermission,
    Permissions,
    parse_permissions,
    union,
)

DESIGN_EXAMPLE = {
    "network": {"outbound": ["api.acme.dev", "*.acme.dev"], "max_requests_per_minute": 60},
    "filesystem": {"read": ["./docs/**"], "write": ["./output/**"]},
    "subprocess": False,
    "secrets": ["ACME_API_KEY"],
}


def codes(data: object) -> list[str]:
    return [p.code for p in parse_permissions(data)[1]]


def test_design_example_parses_canonically() -> None:
    perms, problems = parse_permissions(DESIGN_EXAMPLE, file="skills.json")
    assert problems == []
    assert perms.network == NetworkPermission(("*.acme.dev", "api.acme.dev"), False, 60)
    assert perms.filesystem == FilesystemPermission(("./docs/**",), ("./output/**",))
    assert perms.secrets == ("ACME_API_KEY",)
    assert perms.is_dangerous
    assert perms.to_json() == {
        "filesystem": {"read": ["./docs/**"], "write": ["./output/**"]},
        "network": {"max_requests_per_minute": 60, "outbound": ["*.acme.dev", "api.acme.dev"]},
        "secrets": ["ACME_API_KEY"],
    }


def test_to_json_key_order_is_canonical() -> None:
    perms = Permissions.from_json(
        {
            "subprocess": True,
            "secrets": ["B", "A"],
            "network": {"outbound": ["b.dev", "a.dev"], "inbound": True},
            "filesystem": {"write": ["./w"], "read": ["./r"]},
        }
    )
    text = json.dumps(perms.to_json())
    assert text == (
        '{"filesystem": {"read": ["./r"], "write": ["./w"]}, '
        '"network": {"inbound": true, "outbound": ["a.dev", "b.dev"]}, '
        '"secrets": ["A", "B"], "subprocess": true}'
    )


def test_empty_and_none() -> None:
    assert parse_permissions({}) == (Permissions.none(), [])
    assert Permissions.none().to_json() == {}
    assert Permissions.none().is_empty
    assert not Permissions.none().is_dangerous


@pytest.mark.parametrize(
    "data",
    [
        {"network": False},
        {"filesystem": False},
        {"subprocess": False},
        {"secrets": []},
        {"network": {"outbound": []}},
        {"network": {}},
        {"filesystem": {"read": [], "write": []}},
        {"network": False, "filesystem": False, "subprocess": False},
    ],
)
def test_spellings_of_nothing(data: object) -> None:
    perms, problems = parse_permissions(data)
    assert perms == Permissions.none()
    assert [p for p in problems if p.is_error] == []


def test_brief_lockfile_example_parses() -> None:
    perms, problems = parse_permissions(
        {"filesystem": {"read": ["./src/**"]}, "network": False, "subprocess": False}
    )
    assert problems == []
    assert perms.to_json() == {"filesystem": {"read": ["./src/**"]}}


def test_inbound_alone_is_dangerous_network() -> None:
    perms, problems = parse_permissions({"network": {"inbound": True}})
    assert problems == []
    assert perms.inbound and perms.is_dangerous
    assert perms.to_json() == {"network": {"inbound": True}}


def test_outbound_star_is_allowed_with_a_warning() -> None:
    perms, problems = parse_permissions({"network": {"outbound": ["*", "*.com"]}})
    assert perms.outbound == ("*", "*.com")
    assert [(p.code, p.severity) for p in problems] == [
        ("permissions.network.broad_wildcard", Severity.WARNING),
        ("permissions.network.broad_wildcard", Severity.WARNING),
    ]


@pytest.mark.parametrize(
    "temp", ["/tmp/**", "/tmp", "/tmp/restore/**", "/var/tmp/x", "/private/tmp/**"]
)
def test_temp_dir_paths_are_a_warning_and_grant_nothing(temp: str) -> None:
    # The sandbox gives every skill its own temporary directory: the entry needs no grant.
    perms, problems = parse_permissions(
        {"filesystem": {"read": [temp], "write": ["./out/**", temp]}, "secrets": ["BW_SESSION"]}
    )
    assert [(p.code, p.severity) for p in problems] == [
        ("permissions.filesystem.temp_dir", Severity.WARNING),
        ("permissions.filesystem.temp_dir", Severity.WARNING),
    ]
    assert perms.filesystem == FilesystemPermission((), ("./out/**",))
    assert perms.secrets == ("BW_SESSION",)


@pytest.mark.parametrize("path", ["/etc/**", "/tmpfoo/**", "/var/tmpx", "/home/u/tmp/**"])
def test_other_absolute_paths_stay_errors(path: str) -> None:
    assert codes({"filesystem": {"write": [path]}}) == ["permissions.filesystem.bad_path"]


def test_hosts_are_lowercased_and_deduplicated_with_a_warning() -> None:
    perms, problems = parse_permissions({"network": {"outbound": ["API.acme.dev", "api.acme.dev"]}})
    assert perms.outbound == ("api.acme.dev",)
    assert [p.code for p in problems] == ["permissions.duplicate"]
    assert not problems[0].is_error


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([], ["permissions.wrong_type"]),
        (None, ["permissions.wrong_type"]),
        ("network", ["permissions.wrong_type"]),
        ({"network": True}, ["permissions.network.true_shorthand"]),
        ({"filesystem": True}, ["permissions.filesystem.true_shorthand"]),
        ({"network": None}, ["permissions.wrong_type"]),
        ({"network": ["a.dev"]}, ["permissions.wrong_type"]),
        ({"network": {"outbound": "a.dev"}}, ["permissions.wrong_type"]),
        ({"network": {"outbound": [1]}}, ["permissions.network.bad_domain"]),
        ({"network": {"outbound": ["a.dev"], "inbound": "yes"}}, ["permissions.wrong_type"]),
        ({"subprocess": "false"}, ["permissions.wrong_type"]),
        ({"subprocess": 0}, ["permissions.wrong_type"]),
        ({"secrets": "KEY"}, ["permissions.wrong_type"]),
        ({"secrets": {"required": ["KEY"]}}, ["permissions.wrong_type"]),
        ({"secrets": ["key"]}, ["permissions.secrets.bad_name"]),
        ({"filesystem": {"read": "./a"}}, ["permissions.wrong_type"]),
        ({"filesystem": {"read": ["/etc/**"]}}, ["permissions.filesystem.bad_path"]),
        ({"filesystem": {"exec": []}}, ["permissions.unknown_key"]),
        ({"subproces": True}, ["permissions.unknown_key"]),
        ({"network": {"allowed_domains": ["a.dev"]}}, ["permissions.unknown_key"]),
    ],
)
def test_error_codes(data: object, expected: list[str]) -> None:
    assert codes(data) == expected


@pytest.mark.parametrize("limit", [0, -1, 1.5, 60.0, True, "60", None])
def test_bad_rate_limits(limit: object) -> None:
    data = {"network": {"outbound": ["a.dev"], "max_requests_per_minute": limit}}
    perms, problems = parse_permissions(data)
    assert [p.code for p in problems] == ["permissions.network.bad_rate_limit"]
    assert perms.max_requests_per_minute is None  # the bad value is not kept


def test_rate_limit_without_access_warns_and_is_dropped() -> None:
    perms, problems = parse_permissions({"network": {"max_requests_per_minute": 5}})
    assert perms.network is None
    assert [(p.code, p.is_error) for p in problems] == [
        ("permissions.network.limit_without_access", False)
    ]


def test_did_you_mean_hints() -> None:
    _, problems = parse_permissions(
        {"subproces": True, "network": {"allowed_domains": [], "outbund": []}, "secret": []}
    )
    hints = {p.message: p.hint for p in problems}
    assert hints["permissions: unknown key 'subproces'"] == 'did you mean "subprocess"?'
    assert hints["permissions: unknown key 'secret'"] == 'did you mean "secrets"?'
    assert hints["permissions.network: unknown key 'allowed_domains'"] == 'did you mean "outbound"?'
    assert hints["permissions.network: unknown key 'outbund'"] == 'did you mean "outbound"?'
    _, problems = parse_permissions({"zzzz": 1})
    assert problems[0].hint == "known keys: filesystem, network, secrets, subprocess"


def test_problems_carry_file_index_and_hint() -> None:
    _, problems = parse_permissions(
        {"network": {"outbound": ["ok.dev", "https://api.acme.dev/v1"]}}, file="skills.json"
    )
    (problem,) = problems
    assert problem.code == "permissions.network.bad_domain"
    assert problem.location == Location(file="skills.json")
    assert problem.message.startswith("permissions.network.outbound[1]: ")
    assert problem.hint == "write the host only, e.g. api.acme.dev"
    _, problems = parse_permissions({"subprocess": 1})
    assert problems[0].location is None


def test_invalid_entries_are_never_granted() -> None:
    perms, problems = parse_permissions(
        {
            "network": {"outbound": ["ok.dev", "evil.com:22"]},
            "filesystem": {"read": ["./docs/../../etc", "./docs/**"]},
            "secrets": ["GOOD", "bad"],
            "subprocess": "true",
        }
    )
    assert len([p for p in problems if p.is_error]) == 4
    assert perms.outbound == ("ok.dev",)
    assert perms.filesystem.read == ("./docs/**",)
    assert perms.secrets == ("GOOD",)
    assert perms.subprocess is False


def test_every_problem_is_reported_not_just_the_first() -> None:
    data = {"network": {"outbound": ["a b", "c:1", "http://d"]}, "secrets": ["x", "y"]}
    assert len(codes(data)) == 5


def test_from_json_raises_validation_error() -> None:
    with pytest.raises(ValidationError) as caught:
        Permissions.from_json({"network": {"outbound": ["a.dev:1"]}}, file="skills.json")
    error = caught.value
    assert error.code == "permissions.network.bad_domain"
    assert error.location == Location(file="skills.json")
    assert error.hint
    assert len(error.problems) == 1


def test_from_json_ignores_warnings() -> None:
    assert Permissions.from_json({"network": {"outbound": ["*"]}}).outbound == ("*",)


def test_round_trip() -> None:
    perms = Permissions.from_json(DESIGN_EXAMPLE)
    assert Permissions.from_json(perms.to_json()) == perms
    assert Permissions.from_json(json.loads(json.dumps(perms.to_json()))) == perms


def test_constructors_canonicalise_and_validate() -> None:
    perms = Permissions(
        network=NetworkPermission(outbound=("B.dev", "a.dev", "b.dev")),
        filesystem=FilesystemPermission(read=("./b", "./a", "./a")),
        secrets=("Z", "A"),
    )
    assert perms.outbound == ("a.dev", "b.dev")
    assert perms.filesystem.read == ("./a", "./b")
    assert perms.secrets == ("A", "Z")
    assert hash(perms) == hash(Permissions.from_json(perms.to_json()))
    with pytest.raises(InvalidEntry):
        NetworkPermission(outbound=("https://x",))
    with pytest.raises(InvalidEntry):
        NetworkPermission(outbound=("a.dev",), max_requests_per_minute=0)
    with pytest.raises(InvalidEntry):
        FilesystemPermission(read=("/etc",))
    with pytest.raises(InvalidEntry):
        Permissions(secrets=("lower",))
    with pytest.raises(InvalidEntry):
        Permissions(secrets="ABC")  # type: ignore[arg-type]
    with pytest.raises(InvalidEntry):
        Permissions(subprocess=1)  # type: ignore[arg-type]
    with pytest.raises(InvalidEntry):
        NetworkPermission(outbound=("a.dev",), inbound="yes")  # type: ignore[arg-type]


def test_network_without_access_normalises_to_none() -> None:
    assert Permissions(network=NetworkPermission(max_requests_per_minute=9)).network is None


def test_permissions_are_frozen() -> None:
    perms = Permissions.none()
    with pytest.raises(AttributeError):
        perms.subprocess = True  # type: ignore[misc]


# --- union --------------------------------------------------------------------------------


def p(data: object) -> Permissions:
    return Permissions.from_json(data)


def test_union_of_nothing_is_none() -> None:
    assert union([]) == Permissions.none()


def test_union_merges_everything() -> None:
    result = union(
        [
            p({"network": {"outbound": ["a.dev"], "max_requests_per_minute": 10}}),
            p({"network": {"outbound": ["b.dev"], "max_requests_per_minute": 60}}),
            p({"filesystem": {"read": ["./x"]}, "secrets": ["K"]}),
            p({"filesystem": {"write": ["./y"]}, "subprocess": True, "secrets": ["J", "K"]}),
        ]
    )
    assert result.to_json() == {
        "filesystem": {"read": ["./x"], "write": ["./y"]},
        "network": {"max_requests_per_minute": 60, "outbound": ["a.dev", "b.dev"]},
        "secrets": ["J", "K"],
        "subprocess": True,
    }


def test_union_rate_limit_is_max_and_unlimited_wins() -> None:
    limited = p({"network": {"outbound": ["a.dev"], "max_requests_per_minute": 10}})
    unlimited = p({"network": {"outbound": ["b.dev"]}})
    no_network = p({"subprocess": True})
    assert union([limited, no_network]).max_requests_per_minute == 10
    assert union([limited, unlimited]).max_requests_per_minute is None
    assert union([limited, limited]) == limited


def test_union_inbound_is_or() -> None:
    assert union([p({"network": {"inbound": True}}), p({})]).inbound
