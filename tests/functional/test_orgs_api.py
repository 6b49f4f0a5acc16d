"""Orgs over HTTP: creation and scope ownership, roles, member management, audit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import select

from tank.server.db.engine import make_engine, session_factory
from tank.server.db.models import AuditEvent
from tests.conftest import Server

PASSWORD = "correct horse battery"


def _audit(server: Server) -> list[tuple[str, str]]:
    engine = make_engine(server.db_url)
    try:
        with session_factory(engine)() as session:
            rows = session.execute(
                select(AuditEvent.action, AuditEvent.subject).order_by(AuditEvent.id)
            ).all()
            return [(action, subject) for action, subject in rows]
    finally:
        engine.dispose()


def _publish(client: httpx.Client, tarball: bytes) -> httpx.Response:
    return client.post("/v1/skills", files={"tarball": ("skill.tgz", tarball, "application/gzip")})


def test_org_lifecycle_roles_and_members(
    server: Server,
    skill_factory: Callable[..., Path],
    pack_skill: Callable[[Path], bytes],
) -> None:
    for name in ("alice", "pub", "reader", "stranger"):
        server.create_user(name, PASSWORD)
    alice = server.client(server.token("alice", PASSWORD))
    created = alice.post("/v1/orgs", json={"name": "acme"})
    assert created.status_code == 201, created.text
    assert created.json()["scopes"] == ["@acme"] and created.json()["role"] == "owner"
    assert alice.get("/v1/whoami").json()["orgs"] == [
        {"name": "acme", "role": "owner", "scope": "@acme"}
    ]
    put = alice.put("/v1/orgs/acme/members/pub", json={"role": "publisher"})
    assert put.status_code == 200 and put.json()["added"] is True
    assert alice.put("/v1/orgs/acme/members/reader", json={"role": "reader"}).status_code == 200
    assert alice.put("/v1/orgs/acme/members/reader", json={"role": "boss"}).status_code == 422
    assert alice.put("/v1/orgs/acme/members/ghost", json={"role": "reader"}).status_code == 404

    pub = server.client(server.token("pub", PASSWORD))
    reader = server.client(server.token("reader", PASSWORD))
    stranger = server.client(server.token("stranger", PASSWORD))
    # Members see members; others see the org and its scope only.
    assert [m["username"] for m in reader.get("/v1/orgs/acme").json()["members"]] == [
        "alice",
        "pub",
        "reader",
    ]
    assert "members" not in stranger.get("/v1/orgs/acme").json()
    assert "members" not in httpx.get(f"{server.url}/v1/orgs/acme").json()
    assert stranger.get("/v1/orgs/nope").status_code == 404

    # Roles decide publishing into the org scope.
    first = pack_skill(skill_factory(scope="acme", name="pdf", version="1.0.0"))
    second = pack_skill(skill_factory(scope="acme", name="pdf", version="1.0.1"))
    assert _publish(reader, first).status_code == 403
    assert _publish(stranger, first).status_code == 403
    answer = _publish(pub, first)
    assert answer.status_code == 201, answer.text
    assert _publish(alice, second).status_code == 201

    # Only owners manage members; the last owner cannot leave or be demoted.
    assert pub.put("/v1/orgs/acme/members/stranger", json={"role": "owner"}).status_code == 403
    assert pub.delete("/v1/orgs/acme/members/reader").status_code == 403
    last = alice.delete("/v1/orgs/acme/members/alice")
    assert last.status_code == 409 and last.json()["error"]["code"] == "last_owner"
    assert alice.put("/v1/orgs/acme/members/alice", json={"role": "reader"}).status_code == 409
    assert alice.put("/v1/orgs/acme/members/pub", json={"role": "owner"}).status_code == 200
    assert alice.delete("/v1/orgs/acme/members/reader").status_code == 200
    assert alice.delete("/v1/orgs/acme/members/reader").status_code == 404
    assert "members" not in reader.get("/v1/orgs/acme").json()
    assert pub.delete("/v1/orgs/acme/members/alice").status_code == 200

    actions = _audit(server)
    assert ("org.created", "acme") in actions
    assert ("org.member_added", "acme/pub") in actions
    assert ("org.member_role_changed", "acme/pub") in actions
    assert ("org.member_removed", "acme/reader") in actions
    assert ("org.member_removed", "acme/alice") in actions
    assert [a for a, _ in actions].count("user.created") == 4


def test_org_names_cannot_hijack_scopes(server: Server) -> None:
    server.create_user("alice", PASSWORD)
    server.create_user("bob", PASSWORD)
    bob = server.client(server.token("bob", PASSWORD))
    alice = server.client(server.token("alice", PASSWORD))
    assert alice.post("/v1/orgs", json={"name": "acme"}).status_code == 201
    for taken in ("alice", "acme"):
        answer = bob.post("/v1/orgs", json={"name": taken})
        assert answer.status_code == 409, answer.text
    reserved = bob.post("/v1/orgs", json={"name": "tank"})
    assert reserved.status_code == 403 and reserved.json()["error"]["code"] == "scope_reserved"
    assert bob.post("/v1/orgs", json={"name": "Not Valid"}).status_code == 422
    # A read-only token cannot create orgs; an anonymous caller is 401.
    read_only = server.client(server.token("bob", PASSWORD, scopes=("read",)))
    assert read_only.post("/v1/orgs", json={"name": "bobs"}).status_code == 403
    assert httpx.post(f"{server.url}/v1/orgs", json={"name": "bobs"}).status_code == 401
    # Bob cannot make himself a member of someone else's org.
    assert bob.put("/v1/orgs/acme/members/bob", json={"role": "owner"}).status_code == 403
    assert [m["username"] for m in alice.get("/v1/orgs/acme").json()["members"]] == ["alice"]
