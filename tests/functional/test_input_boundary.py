"""Input the database cannot hold is refused at the HTTP boundary, the same way on both backends.

PostgreSQL refuses NUL bytes in text, strings longer than their column and integers outside
its column types; SQLite accepts most of them silently (and overflows past 64 bits). Either
way the registry must answer a 4xx in the one error shape, never a 500, and the same status
on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.conftest import Server

PASSWORD = "correct horse battery staple"


def _refused(answer: httpx.Response, status: int = 422) -> dict[str, object]:
    assert answer.status_code == status, answer.text
    error: dict[str, object] = answer.json()["error"]
    assert set(error) >= {"code", "message", "detail", "hint"}
    return error


@pytest.fixture
def alice(server: Server) -> httpx.Client:
    server.create_user("alice", PASSWORD)
    return server.client(server.token("alice", PASSWORD, ("read", "publish")))


UNSTORABLE_URLS = (
    "/v1/skills/@acme/pd%00f",
    "/v1/skills/@ac%00me/pdf/1.0.0",
    "/v1/skills/@acme/pdf/1.0.%00",
    "/v1/skills/@acme/pdf/1.0.0/files/SKILL%00.md",
    "/v1/orgs/ac%00me",
    "/v1/skills/@acme/pdf/deps?version=1.0%00",
    "/v1/search?keyword=a%01",
)
UNSTORABLE_LOGINS = (
    {"username": "al\u0000ice", "password": PASSWORD},
    {"username": "alice", "password": "pass\u0000word"},
    {"username": "alice", "password": PASSWORD, "name": "laptop\u0000"},
    {"username": "alice", "password": PASSWORD, "restrict_to": ["@alice/p\u0000"]},
)


def test_unstorable_urls_and_bodies_are_422(server: Server, alice: httpx.Client) -> None:
    for path in UNSTORABLE_URLS:
        assert _refused(alice.get(path))["code"] == "bad_request", path
    # Free-text search tolerates control characters (they separate words), on both databases.
    assert alice.get("/v1/search?q=pd%00f").status_code == 200
    for body in UNSTORABLE_LOGINS:
        _refused(httpx.post(f"{server.url}/v1/tokens", json=body, timeout=30))
    _refused(alice.post("/v1/orgs", json={"name": "ac\u0000me"}))
    assert alice.post("/v1/orgs", json={"name": "acme"}).status_code == 201
    _refused(alice.put("/v1/orgs/acme/members/bo%00b", json={"role": "reader"}))
    _refused(alice.put("/v1/orgs/acme/members/alice", json={"role": "own\u0000er"}))
    _refused(alice.delete("/v1/orgs/acme/members/bo%00b"))
    _refused(alice.delete("/v1/skills/@alice/pdf/1.0.%00"))
    _refused(alice.put("/v1/skills/@alice/pdf/dist-tags/be%00ta", json={"version": "1.0.0"}))
    # Token ids beyond the id column (32-bit on PostgreSQL; past 64 bits SQLite overflows).
    for token_id in ("1099511627776", "1180591620717411303424", "-1", "0"):
        _refused(alice.delete(f"/v1/tokens/{token_id}"))
    _refused(alice.delete("/v1/tokens/2147483647"), 404)
    # A version longer than its column is compared, never stored: simply not found.
    _refused(alice.get("/v1/skills/@alice/pdf/1.0.0-" + "a" * 200), 404)


def _publish(client: httpx.Client, data: bytes) -> httpx.Response:
    return client.post("/v1/skills", files={"tarball": ("s.tgz", data, "application/gzip")})


def test_unstorable_tarball_content_is_422(
    server: Server,
    alice: httpx.Client,
    skill_factory: Callable[..., Path],
    pack_skill: Callable[[Path], bytes],
) -> None:
    # NUL in SKILL.md's text
    folder = skill_factory(scope="alice", name="nulbody")
    skill_md = folder / "SKILL.md"
    skill_md.write_bytes(skill_md.read_bytes() + b"a NUL \x00 here\n")
    error = _refused(_publish(alice, pack_skill(folder)))
    assert "SKILL.md" in json.dumps(error)
    # NUL in a keyword
    folder = skill_factory(scope="alice", name="nulkw")
    manifest = json.loads((folder / "skills.json").read_text())
    manifest["keywords"] = ["pdf\u0000"]
    (folder / "skills.json").write_text(json.dumps(manifest))
    error = _refused(_publish(alice, pack_skill(folder)))
    assert "keywords" in json.dumps(error)
    # NUL in the description
    folder = skill_factory(scope="alice", name="nuldesc", description="bad \u0000 text")
    _refused(_publish(alice, pack_skill(folder)))
    # a version longer than the 128 characters the registry stores
    folder = skill_factory(scope="alice", name="longver", version="1.0.0-" + "a" * 200)
    error = _refused(_publish(alice, pack_skill(folder)))
    assert "128" in json.dumps(error)
    # NUL in a form field stored as text (the signature)
    folder = skill_factory(scope="alice", name="fine")
    answer = alice.post(
        "/v1/skills",
        files={"tarball": ("s.tgz", pack_skill(folder), "application/gzip")},
        data={"signature": "sig\x00nature"},
    )
    assert _refused(answer)["code"] == "bad_field"
    # and a good one still publishes
    assert _publish(alice, pack_skill(folder)).status_code == 201
