"""The launcher's audit hook: what it reports as undeclared (the kernel layers deny)."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from tank.sandbox.launcher import _make_hook, _numeric, _Reporter


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", b"10.0.0.1", "fe80::1%lo", None])
def test_numeric_addresses_are_not_name_lookups(host: object) -> None:
    assert _numeric(host)


@pytest.mark.parametrize("host", ["example.com", "localhost", "127.0.0.1.nip.io", "", 80])
def test_names_are_lookups(host: object) -> None:
    assert not _numeric(host)


def _run(events: list[tuple[str, tuple[Any, ...]]]) -> list[dict[str, Any]]:
    read, write = os.pipe()
    hook = _make_hook({"subprocess": False, "network": {"port": 3128}}, _Reporter(write))
    for event, args in events:
        hook(event, args)
    os.close(write)
    with os.fdopen(read, "rb") as stream:
        return [json.loads(line) for line in stream]


def test_connecting_to_the_proxy_by_its_address_reports_nothing() -> None:
    # what socket.create_connection(("127.0.0.1", 3128)) raises: a lookup, then a connect
    assert (
        _run(
            [
                ("socket.getaddrinfo", ("127.0.0.1", 3128, 0, 1, 0, 0)),
                ("socket.connect", (None, ("127.0.0.1", 3128))),
            ]
        )
        == []
    )


def test_names_and_other_addresses_are_reported() -> None:
    found = _run(
        [
            ("socket.getaddrinfo", ("evil.test", 443, 0, 1, 0, 0)),
            ("socket.gethostbyname", ("evil.test",)),
            ("socket.gethostbyaddr", ("8.8.8.8",)),  # a reverse lookup asks DNS
            ("socket.connect", (None, ("127.0.0.1", 8080))),
        ]
    )
    assert [(r["kind"], r["detail"]) for r in found] == [
        ("dns", "resolve 'evil.test'"),
        ("dns", "resolve 'evil.test'"),
        ("dns", "resolve '8.8.8.8'"),
        ("network", "connect ('127.0.0.1', 8080)"),
    ]
