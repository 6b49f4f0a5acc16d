"""Accounts that go away: a token whose user row is gone, and ``tank registry disable-user``."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import select

from tank.server.db.engine import make_engine, session_factory
from tank.server.db.models import AuditEvent
from tests.conftest import Server, SkillFactory, run_tank
from tests.functional.test_publish_api import PASSWORD, login, post

Pack = Callable[[Path], bytes]


def _delete_user_row(db_url: str, username: str) -> None:
    """Delete the user's row behind the registry's back, leaving its tokens (as an operator
    with a database shell and no foreign-key enforcement would)."""
    if db_url.startswith("sqlite"):
        with sqlite3.connect(db_url.split("///", 1)[1]) as db:  # foreign_keys is off by default
            db.execute("DELETE FROM users WHERE username = ?", (username,))
        return
    dsn = db_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as db:
        db.execute("SET session_replication_role = replica")  # no foreign-key triggers
        db.execute("DELETE FROM users WHERE username = %s", (username,))


def _audit_actions(db_url: str) -> list[tuple[str, str]]:
    engine = make_engine(db_url)
    try:
        with session_factory(engine)() as session:
            rows = session.execute(select(AuditEvent.action, AuditEvent.subject)).all()
            return [(action, subject) for action, subject in rows]
    finally:
        engine.dispose()


def test_orphaned_token_is_401_everywhere(server: Server) -> None:
    alice = login(server, "alice")
    assert alice.get("/v1/whoami").status_code == 200
    _delete_user_row(server.db_url, "alice")
    for method, path in (
        ("GET", "/v1/whoami"),
        ("GET", "/v1/skills"),
        ("GET", "/v1/skills/@alice/pdf"),
        ("GET", "/v1/tokens"),
        ("POST", "/v1/status"),
    ):
        body = {"versions": []} if method == "POST" else None
        answer = alice.request(method, path, json=body)
        assert answer.status_code == 401, (path, answer.status_code, answer.text)
        assert "account" in answer.json()["error"]["message"]
    minted = alice.post("/v1/tokens", json={"scopes": ["read"]})
    assert minted.status_code == 401, minted.text


def test_disable_user_revokes_tokens_and_keeps_skills(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    db = ("--database-url", server.db_url)
    alice = login(server, "alice")
    assert post(alice, pack_skill(skill_factory(scope="alice"))).status_code == 201
    login_body = {"username": "alice", "password": PASSWORD, "scopes": ["read"]}

    result = run_tank("registry", "disable-user", "alice", *db, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["username"] == "alice" and report["disabled"] is True
    assert report["tokens_revoked"] == 1 and report["changed"] is True

    answer = alice.get("/v1/whoami")
    assert answer.status_code == 401, answer.text
    answer = httpx.post(f"{server.url}/v1/tokens", json=login_body)
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "account_disabled"
    plain = run_tank("registry", "create-token", "alice", "--scopes", "read", *db)
    assert plain.returncode != 0 and "disabled" in plain.stderr
    assert "Traceback" not in plain.stderr
    # Skills are kept and still served.
    anon = server.client()
    assert anon.get("/v1/skills/@alice/pdf").status_code == 200
    assert anon.get("/v1/skills/@alice/pdf/1.0.0/tarball").status_code == 200
    # Disabling twice changes nothing; an unknown user is a clean error.
    again = run_tank("registry", "disable-user", "alice", *db)
    assert again.returncode == 0 and "already" in again.stdout
    unknown = run_tank("registry", "disable-user", "nobody", *db)
    assert unknown.returncode != 0 and "nobody" in unknown.stderr
    assert "Traceback" not in unknown.stderr

    enabled = run_tank("registry", "disable-user", "alice", "--enable", *db, "--json")
    assert enabled.returncode == 0, enabled.stderr
    assert json.loads(enabled.stdout)["disabled"] is False
    assert alice.get("/v1/whoami").status_code == 401  # old tokens stay revoked
    fresh = httpx.post(f"{server.url}/v1/tokens", json=login_body)
    assert fresh.status_code == 201, fresh.text
    actions = _audit_actions(server.db_url)
    assert ("user.disabled", "alice") in actions and ("user.enabled", "alice") in actions
