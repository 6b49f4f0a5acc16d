"""The proxy's strict address check: only public unicast addresses, whatever their form."""

from __future__ import annotations

import ipaddress

import pytest

from tank.sandbox.proxy_address import (
    MAX_ADDRESSES,
    check_addresses,
    refuse_non_public,
    system_resolver,
)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("::1", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("10.0.0.5", "private"),
        ("172.16.3.4", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        # Python's tables have moved between versions: whichever kind, they are refused.
        ("240.0.0.1", ""),
        ("255.255.255.255", ""),
        ("198.18.0.1", ""),
        ("192.0.2.1", ""),
        ("100.64.0.1", "not globally routable"),
        ("::ffff:127.0.0.1", "127.0.0.1, a loopback"),
        ("::ffff:10.0.0.5", "10.0.0.5, a private"),
        ("::ffff:169.254.169.254", "link-local"),
        ("64:ff9b::7f00:1", "127.0.0.1, a loopback"),
        ("64:ff9b::a00:5", "10.0.0.5, a private"),
        ("2002:7f00:1::", "carries 127.0.0.1"),
        ("2002:a00:5::1", "carries 10.0.0.5"),
        ("::7f00:1", "reserved"),  # IPv4-compatible ::127.0.0.1 (deprecated form)
    ],
)
def test_non_public_addresses_are_refused_with_their_kind(text: str, kind: str) -> None:
    reason = refuse_non_public(ipaddress.ip_address(text))
    assert reason is not None and kind in reason


@pytest.mark.parametrize(
    "text",
    [
        "93.184.216.34",
        "8.8.8.8",
        "2606:4700::1111",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::1",
    ],
)
def test_public_addresses_pass(text: str) -> None:
    assert refuse_non_public(ipaddress.ip_address(text)) is None


def test_one_refused_address_refuses_the_whole_answer() -> None:
    addresses, reason = check_addresses(["93.184.216.34", "10.0.0.5"], refuse_non_public)
    assert addresses == [] and "10.0.0.5 is a private address" in reason
    addresses, reason = check_addresses(["93.184.216.34", "8.8.8.8"], refuse_non_public)
    assert [str(a) for a in addresses] == ["93.184.216.34", "8.8.8.8"] and reason == ""


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ([], "no address"),
        (["93.184.216.34"] * (MAX_ADDRESSES + 1), "more than"),
        (["evil.test"], "not an IP address"),
        (["2130706433"], "not an IP address"),
    ],
)
def test_strange_resolver_answers_are_refused(answer: list[str], fragment: str) -> None:
    addresses, reason = check_addresses(answer, refuse_non_public)
    assert addresses == [] and fragment in reason


def test_the_system_resolver_reads_localhost_locally() -> None:
    answer = system_resolver("localhost", 443)
    assert answer and all(ipaddress.ip_address(a).is_loopback for a in answer)
    assert len(answer) == len(set(answer))
    _, reason = check_addresses(answer, refuse_non_public)
    assert "loopback" in reason


def test_an_ip_literal_resolves_to_itself_without_dns() -> None:
    assert system_resolver("10.0.0.5", 80) == ["10.0.0.5"]
