"""Hostile JSON against the real registry process, on SQLite and PostgreSQL.

The issue: a ~1 KiB tarball whose skills.json is ``{"a":`` nested 100,000 deep grew the
server to ~17 GB (quadratic position mapping) and a 5,000-digit number answered 500. Both must
be a 422 validation answer, quickly, and the server must keep answering. The server runs
under an address-space cap so that a regression fails the test instead of the machine.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest

from tank.core.pack import pack_files
from tests.bounded import memory_cap
from tests.conftest import Server

PASSWORD = "correct horse battery"
SKILL_MD = b"---\nname: pdf\ndescription: Reads PDF files for the user.\n---\n\n# pdf\n\nDo it.\n"


def hostile_tarball(skills_json: bytes) -> bytes:
    """A canonical tarball holding a good SKILL.md and ``skills_json``."""
    return pack_files({"SKILL.md": (SKILL_MD, False), "skills.json": (skills_json, False)}).data


def login(server: Server, name: str) -> httpx.Client:
    from tank.server.admin import create_user

    create_user(server.db_url, name, PASSWORD)
    return server.client(server.token(name, PASSWORD))


@pytest.mark.parametrize(
    ("skills_json", "code"),
    [
        (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "manifest.json.too_deep"),
        (b'{"version": ' + b"1" * 5000 + b"}", "manifest.json.number_too_long"),
    ],
    ids=["nested-100000", "5000-digit-number"],
)
def test_hostile_skills_json_is_refused_with_422(
    server_factory: Callable[..., Server], skills_json: bytes, code: str
) -> None:
    with memory_cap(1536):  # the server inherits the cap; before the fix it needed ~17 GB
        server = server_factory()
    alice = login(server, "alice")
    data = hostile_tarball(skills_json)
    assert len(data) < 2048  # the "~1 KB tarball"
    start = time.monotonic()
    answer = alice.post("/v1/skills", files={"tarball": ("skill.tgz", data)})
    took = time.monotonic() - start
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "invalid_skill"
    (problem,) = [p for p in error["problems"] if p["code"] == code]
    assert problem["file"] == "skills.json" and problem["line"] == 1 and problem["hint"]
    assert took < 10
    # still serving, and nothing was stored
    assert server.client().get("/v1/health").status_code == 200
    assert server.client().get("/v1/skills/@alice/pdf").status_code == 404


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("/v1/tokens", b'{"username":' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
        ("/v1/status", b'{"versions":' + b'{"a":' * 50_000 + b"1" + b"}" * 50_000 + b"}"),
        ("/v1/tokens", b'{"username": "a", "password": ' + b"9" * 5000 + b"}"),
        ("/v1/verify", b'{"items":[' + b"[" * 100_000 + b"]" * 100_000 + b"]}"),
    ],
    ids=["tokens-deep", "status-deep", "tokens-5000-digits", "verify-deep"],
)
def test_hostile_json_bodies_answer_4xx_in_the_error_shape(
    server: Server, route: str, body: bytes
) -> None:
    answer = server.client().post(route, content=body, headers={"content-type": "application/json"})
    assert 400 <= answer.status_code < 500, answer.text
    assert set(answer.json()["error"]) >= {"code", "message", "hint"}
    assert server.client().get("/v1/health").status_code == 200


@pytest.mark.parametrize("depth", [100_000, 600])
def test_a_hostile_package_json_fails_the_scan_closed(
    server_factory: Callable[..., Server], depth: int
) -> None:
    """npm reads JSON nested far deeper than Tank will: an unreadable package.json (which may
    hide install scripts) is a failed scan, 422, never a 500 or a silent pass."""
    with memory_cap(1536):
        server = server_factory()
    alice = login(server, "alice")
    manifest = b'{"name": "@alice/pdf", "version": "1.0.0", "description": "Reads PDFs."}'
    package_json = (
        b'{"scripts": {"postinstall": "node x.js"}, "x": ' + b"[" * depth + b"]" * depth + b"}"
    )
    files = {
        "SKILL.md": (SKILL_MD, False),
        "skills.json": (manifest, False),
        "package.json": (package_json, False),
    }
    answer = alice.post("/v1/skills", files={"tarball": ("s.tgz", pack_files(files).data)})
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "scan_failed"
    assert any(p["file"] == "package.json" for p in error["problems"]), error["problems"]
    assert server.client().get("/v1/health").status_code == 200
