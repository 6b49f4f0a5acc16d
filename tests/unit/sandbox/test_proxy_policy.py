"""The proxy's policy values: canonical, validated, built from a skill's permission."""

from __future__ import annotations

from pathlib import Path

import pytest

from tank.core.permissions import InvalidEntry, parse_permissions
from tank.sandbox.proxy import (
    ProxyEvent,
    ProxyPolicy,
    ProxyServer,
    refuse_non_public,
    system_resolver,
)


def test_hosts_are_canonical_and_matched_with_the_core_matcher() -> None:
    policy = ProxyPolicy(("API.acme.dev", "*.cdn.dev", "api.acme.dev"), 60)
    assert policy.hosts == ("*.cdn.dev", "api.acme.dev")
    assert policy.matching("api.acme.dev.") == "api.acme.dev"
    assert policy.matching("img.cdn.dev") == "*.cdn.dev"
    assert policy.matching("cdn.dev") is None
    assert policy.matching("acme.dev") is None
    assert policy.connect_ports == (443,) and policy.http_ports == (80,)


def test_an_empty_policy_allows_nothing() -> None:
    policy = ProxyPolicy.from_permission(None)
    assert policy.hosts == () and policy.matching("api.acme.dev") is None


def test_the_policy_of_a_skills_network_permission() -> None:
    permissions, problems = parse_permissions(
        {"network": {"outbound": ["*.acme.dev"], "max_requests_per_minute": 30}}
    )
    assert problems == []
    policy = ProxyPolicy.from_permission(permissions.network)
    assert policy == ProxyPolicy(("*.acme.dev",), 30)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"hosts": ("http://a.dev",), "max_requests_per_minute": None},
        {"hosts": ("a.dev:443",), "max_requests_per_minute": None},
        {"hosts": "a.dev", "max_requests_per_minute": None},
        {"hosts": (), "max_requests_per_minute": 0},
        {"hosts": (), "max_requests_per_minute": True},
        {"hosts": (), "max_requests_per_minute": None, "connect_ports": (0,)},
        {"hosts": (), "max_requests_per_minute": None, "http_ports": (65536,)},
    ],
)
def test_invalid_policies_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidEntry):
        ProxyPolicy(**kwargs)  # type: ignore[arg-type]


def test_an_event_serialises_for_the_audit_log() -> None:
    event = ProxyEvent("2026-01-01T00:00:00.000Z", "a.dev", 443, "CONNECT", False, "rate limit")
    assert event.to_json() == {
        "time": "2026-01-01T00:00:00.000Z",
        "host": "a.dev",
        "port": 443,
        "method": "CONNECT",
        "allowed": False,
        "reason": "rate limit",
        "detail": "",
        "address": "",
    }


def test_the_server_defaults_are_the_strict_ones() -> None:
    server = ProxyServer(ProxyPolicy((), None), Path("/tmp/never.sock"), print)
    assert server.resolver is system_resolver
    assert server.check_address is refuse_non_public
