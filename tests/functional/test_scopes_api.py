"""Scopes cannot be squatted: a real registry process on SQLite and PostgreSQL.

A scope exists only as a user or an explicitly created org; publishing never makes one.
Reserved and look-alike names need the registry admin's approval.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from tests.conftest import Server, SkillFactory, run_tank

PASSWORD = "correct horse battery"


def _publish(client: httpx.Client, tarball: bytes) -> httpx.Response:
    return client.post("/v1/skills", files={"tarball": ("skill.tgz", tarball, "application/gzip")})


def _error(answer: httpx.Response) -> dict[str, str]:
    error: dict[str, str] = answer.json()["error"]
    return error


def test_a_second_account_cannot_take_a_scope_by_publishing(
    server: Server, skill_factory: SkillFactory, pack_skill: Callable[[Path], bytes]
) -> None:
    server.create_user("mallory", PASSWORD)
    mallory = server.client(server.token("mallory", PASSWORD))
    answer = _publish(mallory, pack_skill(skill_factory(scope="acme", name="x")))
    assert answer.status_code == 403, answer.text
    error = _error(answer)
    assert error["code"] == "scope_unknown" and "@acme" in error["message"]
    assert "POST /v1/orgs" in error["hint"] and "@mallory/" in error["hint"]
    # Nothing was claimed: the real acme can still create its org and publish.
    server.create_user("alice", PASSWORD)
    alice = server.client(server.token("alice", PASSWORD))
    assert alice.post("/v1/orgs", json={"name": "acme"}).status_code == 201
    assert _publish(alice, pack_skill(skill_factory(scope="acme", name="x"))).status_code == 201
    again = _publish(mallory, pack_skill(skill_factory(scope="acme", name="x", version="2.0.0")))
    assert again.status_code == 403 and _error(again)["code"] == "scope_forbidden"


def test_org_creator_publishes_a_non_member_cannot(
    server: Server, skill_factory: SkillFactory, pack_skill: Callable[[Path], bytes]
) -> None:
    server.create_user("alice", PASSWORD)
    server.create_user("bob", PASSWORD)
    alice = server.client(server.token("alice", PASSWORD))
    bob = server.client(server.token("bob", PASSWORD))
    assert alice.post("/v1/orgs", json={"name": "widgets"}).status_code == 201
    assert _publish(alice, pack_skill(skill_factory(scope="widgets"))).status_code == 201
    refused = _publish(bob, pack_skill(skill_factory(scope="widgets", version="1.1.0")))
    assert refused.status_code == 403 and _error(refused)["code"] == "scope_forbidden"
    assert server.client().get("/v1/skills/@widgets/pdf").json()["latest"] == "1.0.0"


def test_look_alike_and_reserved_org_names_need_the_admin(server: Server) -> None:
    server.create_user("alice", PASSWORD)
    server.create_user("mallory", PASSWORD)
    server.create_user("boss", PASSWORD, admin=True)
    alice = server.client(server.token("alice", PASSWORD))
    mallory = server.client(server.token("mallory", PASSWORD))
    assert alice.post("/v1/orgs", json={"name": "acme"}).status_code == 201
    for name, code, status, resembles in (
        ("ac-me", "scope_confusable", 403, "@acme"),
        ("acrne", "scope_confusable", 403, "@acme"),
        ("\u0430cme", "invalid_name", 422, "@acme"),  # a Cyrillic a: invalid, still named
        ("tank", "scope_reserved", 403, "@tank"),
        ("r00t", "scope_reserved", 403, "@root"),
    ):
        answer = mallory.post("/v1/orgs", json={"name": name})
        assert answer.status_code == status, (name, answer.text)
        error = _error(answer)
        assert error["code"] == code and resembles in error["message"], error
    # Asking to approve one's own request is refused; an admin token approves.
    own = mallory.post("/v1/orgs", json={"name": "ac-me", "approve": True})
    assert own.status_code == 403 and _error(own)["code"] == "approve_forbidden"
    boss = server.client(server.token("boss", PASSWORD, ("read", "publish", "admin")))
    approved = boss.post("/v1/orgs", json={"name": "ac-me", "approve": True})
    assert approved.status_code == 201, approved.text
    assert approved.json()["scopes"] == ["@ac-me"]


def test_admin_cli_approves_a_look_alike_user(server: Server) -> None:
    db = ("--database-url", server.db_url)
    server.create_user("acme", PASSWORD)
    refused = run_tank("registry", "create-user", "acrne", "--password", PASSWORD, *db)
    assert refused.returncode != 0
    assert "confusable with the existing scope @acme" in refused.stderr
    approved = run_tank(
        "registry", "create-user", "acrne", "--password", PASSWORD, "--approve", *db
    )
    assert approved.returncode == 0, approved.stderr
    assert server.token("acrne", PASSWORD)
