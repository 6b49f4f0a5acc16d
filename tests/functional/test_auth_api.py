"""Tokens, whoami, rate limits and body size limits against the real registry process."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select, update

from tank.server.db.engine import make_engine, session_factory
from tank.server.db.models import AuditEvent, Token
from tests.conftest import Server

PASSWORD = "correct horse battery"


def _audit(server: Server) -> list[AuditEvent]:
    engine = make_engine(server.db_url)
    try:
        with session_factory(engine)() as session:
            return list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    finally:
        engine.dispose()


def _set_expiry(server: Server, token_id: int, when: datetime) -> None:
    engine = make_engine(server.db_url)
    try:
        with engine.begin() as connection:
            connection.execute(update(Token).where(Token.id == token_id).values(expires_at=when))
    finally:
        engine.dispose()


def test_login_token_whoami_list_and_revoke(server: Server) -> None:
    server.create_user("alice", PASSWORD)
    answer = httpx.post(
        f"{server.url}/v1/tokens",
        json={
            "username": "alice",
            "password": PASSWORD,
            "scopes": ["read", "publish"],
            "name": "laptop",
            "expires_in_days": 7,
            "restrict_to": ["@alice"],
        },
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert set(body) >= {"token", "id", "scopes", "expires_at", "restrict_to"}
    assert body["scopes"] == ["publish", "read"] and body["restrict_to"] == ["@alice"]
    secret = body["token"]
    client = server.client(secret)
    me = client.get("/v1/whoami").json()
    assert me["username"] == "alice" and me["scopes"] == ["publish", "read"]
    assert me["scopes_owned"] == ["@alice"] and me["orgs"] == [] and me["is_admin"] is False
    assert client.get("/api/v1/tokens").status_code == 403  # restricted: manages no tokens
    full = server.client(server.token("alice", PASSWORD))
    listed = full.get("/api/v1/tokens").json()["tokens"]
    assert [t["name"] for t in listed] == ["", "laptop"]
    assert secret not in str(listed) and listed[1]["last_used_at"] is not None
    assert client.delete(f"/v1/tokens/{body['id']}").status_code == 200
    after = client.get("/v1/whoami")
    assert after.status_code == 401 and after.headers["www-authenticate"] == "Bearer"
    actions = [(e.action, e.ip) for e in _audit(server)]
    assert ("token.created", "127.0.0.1") in actions and ("token.revoked", "127.0.0.1") in actions


def test_bad_logins_all_look_the_same(server: Server) -> None:
    server.create_user("alice", PASSWORD)
    bodies = []
    for username, password in (("alice", "not the password"), ("mallory", PASSWORD)):
        answer = httpx.post(
            f"{server.url}/v1/tokens",
            json={"username": username, "password": password, "scopes": ["read"]},
        )
        assert answer.status_code == 401
        bodies.append(answer.json())
    assert bodies[0] == bodies[1]
    assert httpx.post(f"{server.url}/v1/tokens", json={"scopes": ["read"]}).status_code == 401
    assert not [e for e in _audit(server) if e.action == "token.created"]


def test_scope_rules_for_tokens(server: Server) -> None:
    server.create_user("alice", PASSWORD)
    server.create_user("bob", PASSWORD)
    server.create_user("boss", PASSWORD, admin=True)
    login = f"{server.url}/v1/tokens"
    as_alice = {"username": "alice", "password": PASSWORD}
    assert httpx.post(login, json={**as_alice, "scopes": ["admin"]}).status_code == 403
    unknown = httpx.post(login, json={**as_alice, "scopes": ["read", "sudo"]})
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "unknown_scope"
    assert httpx.post(login, json={**as_alice, "restrict_to": ["nope"]}).status_code == 422
    assert httpx.post(login, json={**as_alice, "extra": 1}).status_code == 422
    reader = server.client(server.token("alice", PASSWORD, scopes=("read",)))
    bob_token = httpx.post(login, json={"username": "bob", "password": PASSWORD}).json()
    # A read token can neither mint a publish token nor revoke someone else's token.
    assert reader.post("/v1/tokens", json={"scopes": ["publish"]}).status_code == 403
    assert reader.delete(f"/v1/tokens/{bob_token['id']}").status_code == 404
    plain = server.client(server.token("alice", PASSWORD))
    assert plain.delete(f"/v1/tokens/{bob_token['id']}").status_code == 404
    # A token may mint a narrower one without the password.
    minted = reader.post("/v1/tokens", json={"scopes": ["read"], "name": "ci"})
    assert minted.status_code == 201 and minted.json()["scopes"] == ["read"]
    # An administrator's admin token may revoke anyone's token.
    admin = server.client(server.token("boss", PASSWORD, scopes=("admin",)))
    assert admin.get("/v1/whoami").json()["is_admin"] is True
    assert admin.delete(f"/v1/tokens/{bob_token['id']}").status_code == 200
    bob = server.client(bob_token["token"])
    assert bob.get("/v1/whoami").status_code == 401


def test_expired_and_forged_tokens_are_401(server: Server) -> None:
    server.create_user("alice", PASSWORD)
    secret = server.token("alice", PASSWORD)
    client = server.client(secret)
    token_id = client.get("/v1/whoami").json()["token_id"]
    _set_expiry(server, token_id, datetime.now(UTC) - timedelta(minutes=1))
    expired = client.get("/v1/whoami")
    assert expired.status_code == 401 and "expired" in expired.json()["error"]["message"]
    forged = secret[:12] + "x" * (len(secret) - 12)
    for bad in (forged, "tank_" + "A" * 43, secret + "x", secret.upper()):
        assert server.client(bad).get("/v1/whoami").status_code == 401
    bare = httpx.get(f"{server.url}/v1/whoami", headers={"Authorization": f"Basic {secret}"})
    assert bare.status_code == 401
    assert httpx.get(f"{server.url}/v1/whoami").status_code == 401


def test_write_rate_limit_per_token_and_per_ip(server_factory: Callable[..., Server]) -> None:
    server = server_factory(
        env={
            "TANK_REGISTRY_RATE_LIMIT_WRITES_PER_TOKEN": "3",
            "TANK_REGISTRY_RATE_LIMIT_WRITES_PER_IP": "6",
        }
    )
    server.create_user("alice", PASSWORD)
    first = server.client(server.token("alice", PASSWORD))  # 1 write from this IP
    statuses = [first.post("/v1/tokens", json={"scopes": ["read"]}).status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]  # writes 2-4 from this IP, the 4th refused
    refused = first.post("/v1/tokens", json={"scopes": ["read"]})
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 120
    assert refused.json()["error"]["code"] == "rate_limited"
    # Reads are not limited; another token still has its own budget until the IP runs out.
    assert first.get("/v1/whoami").status_code == 200
    second = server.client(server.token("alice", PASSWORD))  # IP write 5
    assert second.post("/v1/tokens", json={"scopes": ["read"]}).status_code == 201  # 6
    assert second.post("/v1/tokens", json={"scopes": ["read"]}).status_code == 429  # IP full
    login = {"username": "alice", "password": PASSWORD, "scopes": ["read"]}
    assert httpx.post(f"{server.url}/v1/tokens", json=login).status_code == 429


def _chunks(size: int) -> Iterator[bytes]:
    yield b'{"username": "'
    for _ in range(size // 1000):
        yield b"a" * 1000
    yield b'"}'


def test_body_size_limits(server_factory: Callable[..., Server]) -> None:
    server = server_factory(
        env={"TANK_REGISTRY_MAX_JSON_BYTES": "4000", "TANK_REGISTRY_MAX_UPLOAD_BYTES": "20000"}
    )
    server.create_user("alice", PASSWORD)
    token = server.token("alice", PASSWORD)
    url = f"{server.url}/v1/tokens"
    big = {"username": "a" * 5000, "password": PASSWORD}
    declared = httpx.post(url, json=big)
    assert declared.status_code == 413
    assert declared.json()["error"]["code"] == "too_large"
    chunked = httpx.post(url, content=_chunks(10_000), headers={"content-type": "application/json"})
    assert chunked.status_code == 413
    assert chunked.request.headers.get("transfer-encoding") == "chunked"
    assert chunked.json()["error"]["code"] == "too_large"
    # A small chunked body still goes through (and is parsed).
    small = httpx.post(
        url,
        content=iter([b'{"username": "alice", ', b'"password": "' + PASSWORD.encode() + b'"}']),
        headers={"content-type": "application/json"},
    )
    assert small.status_code == 201, small.text
    # Uploads get the (bigger) upload limit; JSON-sized limits do not apply to them.
    upload = httpx.post(
        f"{server.url}/v1/skills",
        files={"tarball": ("x.tgz", b"\0" * 600_000, "application/gzip")},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert upload.status_code == 413
    assert upload.json()["error"]["code"] in ("too_large", "upload_too_large")
