"""Every timestamp the registry answers is RFC 3339 UTC with ``Z``, on every route family."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import Server

PASSWORD = "correct horse battery staple"
RFC3339_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
TIME_KEYS = {"at", "since", "created_at", "updated_at", "published_at", "expires_at",
             "last_used_at", "revoked_at", "deleted_at"}  # fmt: skip


def _times(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, text) of every timestamp-named key holding a string, anywhere in ``value``."""
    if isinstance(value, dict):
        for key, child in value.items():
            if key in TIME_KEYS and isinstance(child, str):
                yield f"{path}.{key}", child
            yield from _times(child, f"{path}.{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _times(child, f"{path}[{index}]")


def _assert_rfc3339_z(answer: httpx.Response, minimum: int) -> None:
    assert answer.status_code in (200, 201), answer.text
    found = list(_times(answer.json()))
    assert len(found) >= minimum, (answer.request.url, found)
    for where, text in found:
        assert RFC3339_Z.match(text), f"{answer.request.url} {where} = {text!r}"


def test_every_route_family_writes_one_timestamp_format(
    server: Server, skill_factory: Callable[..., Path], pack_skill: Callable[[Path], bytes]
) -> None:
    server.create_user("alice", PASSWORD)
    login = httpx.post(
        f"{server.url}/v1/tokens",
        json={"username": "alice", "password": PASSWORD, "scopes": ["read", "publish"]},
        timeout=30,
    )
    _assert_rfc3339_z(login, 1)  # expires_at of the new token
    alice = server.client(login.json()["token"])
    folder = skill_factory(scope="alice", name="clock")
    published = alice.post(
        "/v1/skills", files={"tarball": ("c.tgz", pack_skill(folder), "application/gzip")}
    )
    assert published.status_code == 201, published.text
    assert alice.post("/v1/orgs", json={"name": "acme"}).status_code == 201

    _assert_rfc3339_z(alice.get("/v1/skills"), 1)  # skills list
    _assert_rfc3339_z(alice.get("/v1/skills/@alice/clock"), 3)  # skill document
    _assert_rfc3339_z(alice.get("/v1/skills/@alice/clock/1.0.0"), 1)  # version document
    _assert_rfc3339_z(alice.get("/v1/tokens"), 2)  # accounts: tokens
    _assert_rfc3339_z(alice.get("/v1/orgs/acme"), 2)  # orgs: created_at, members' since
    _assert_rfc3339_z(alice.get("/v1/skills/@alice/clock/audit"), 1)  # audit history
    search = alice.get("/v1/search", params={"q": "clock"})
    _assert_rfc3339_z(search, 1)


def test_openapi_states_the_timestamp_format(server: Server) -> None:
    spec = server.client().get("/v1/openapi.json").json()
    assert "RFC 3339" in spec["info"]["description"]
    published = spec["components"]["schemas"]["SearchResult"]["properties"]["published_at"]
    assert published["format"] == "date-time"
    assert "RFC 3339" in published["description"]
