"""``tank registry …`` admin commands end to end: real subprocesses, real databases."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from tank.server.db.engine import make_engine, session_factory
from tank.server.db.models import AuditEvent
from tests.conftest import Server, SkillFactory, run_tank

PASSWORD = "correct horse battery"


def _json(*args: str) -> dict[str, object]:
    result = run_tank("registry", *args, "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_admin_commands_end_to_end(server: Server) -> None:
    db = ("--database-url", server.db_url)
    assert _json("create-user", "alice", "--password", PASSWORD, *db)["username"] == "alice"
    assert _json("create-user", "bob", "--password", PASSWORD, *db)["username"] == "bob"
    org = _json("create-org", "acme", "--owner", "alice", *db)
    assert org["scope"] == "@acme"
    # Reserved names are the admin's to give, explicitly.
    refused = run_tank("registry", "create-org", "tank", "--owner", "alice", *db)
    assert refused.returncode != 0 and "@tank is reserved" in refused.stderr
    assert "--approve" in refused.stderr
    assert _json("create-org", "tank", "--owner", "alice", "--approve", *db)["name"] == "tank"
    added = _json("add-member", "acme", "bob", "--role", "publisher", *db)
    assert added == {"org": "acme", "username": "bob", "role": "publisher", "added": True}
    issued = _json(
        "create-token", "bob", "--scopes", "read,publish", "--expires-in-days", "5",
        "--restrict-to", "@acme/pdf,@acme", "--name", "ci", *db,
    )  # fmt: skip
    assert issued["scopes"] == ["publish", "read"]
    assert issued["restrict_to"] == ["@acme/pdf", "@acme"] and issued["expires_at"]
    me = server.client(str(issued["token"])).get("/v1/whoami").json()
    assert me["username"] == "bob" and me["orgs"][0]["role"] == "publisher"

    # Plain output prints the secret once, alone on stdout.
    plain = run_tank("registry", "create-token", "alice", "--scopes", "read", *db)
    assert plain.returncode == 0, plain.stderr
    secret = plain.stdout.strip()
    assert secret.startswith("tank_") and "\n" not in secret
    assert server.client(secret).get("/v1/whoami").json()["scopes"] == ["read"]

    # Refusals are clean errors with a non-zero exit, never tracebacks.
    for args in (
        ("create-token", "bob", "--scopes", "admin"),
        ("create-token", "nobody", "--scopes", "read"),
        ("create-org", "bob", "--owner", "alice"),  # bob's personal scope
        ("add-member", "acme", "alice", "--role", "reader"),  # the last owner
    ):
        result = run_tank("registry", *args, *db, "--json")
        assert result.returncode != 0, args
        assert "Traceback" not in result.stderr
        assert json.loads(result.stdout)["error"]["code"], args

    gc = _json("gc", "--dry-run", "--grace-seconds", "0", "--storage", str(server.storage), *db)
    assert gc["dry_run"] is True and gc["removed"] == []

    engine = make_engine(server.db_url)
    try:
        with session_factory(engine)() as session:
            events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    finally:
        engine.dispose()
    actions = [e.action for e in events]
    assert actions.count("user.created") == 2
    assert actions.count("org.created") == 2
    assert actions.count("org.member_added") == 1
    assert actions.count("token.created") == 2
    assert all(e.actor_user_id is None for e in events)
    assert next(e for e in events if e.action == "token.created").details["via"] == "admin-cli"


def test_gc_removes_unreferenced_blobs(server: Server) -> None:
    from tank.server.storage.local import LocalBlobStore

    store = LocalBlobStore(server.storage)
    orphan = store.put(b"nobody references these bytes")
    db = ("--database-url", server.db_url, "--storage", str(server.storage))
    kept = _json("gc", "--grace-seconds", "3600", *db)
    assert kept["removed"] == [] and store.exists(orphan)
    dry = _json("gc", "--grace-seconds", "0", "--dry-run", *db)
    assert dry["removed"] == [orphan] and store.exists(orphan)
    done = _json("gc", "--grace-seconds", "0", *db)
    assert done["removed"] == [orphan] and not store.exists(orphan)
    engine = make_engine(server.db_url)
    try:
        with session_factory(engine)() as session:
            events = session.scalars(
                select(AuditEvent).where(AuditEvent.action == "registry.gc")
            ).all()
    finally:
        engine.dispose()
    assert [e.details["removed"] for e in events] == [[], [orphan]]


def test_reviewer_verified_publisher_and_rescan_commands(
    server: Server, skill_factory: SkillFactory, pack_skill: Callable[[Path], bytes]
) -> None:
    from tank.server.db.models import User

    db = ("--database-url", server.db_url)
    _json("create-user", "alice", "--password", PASSWORD, *db)
    assert _json("grant-reviewer", "alice", *db) == {
        "username": "alice", "reviewer": True, "changed": True,
    }  # fmt: skip
    assert _json("grant-reviewer", "alice", *db)["changed"] is False
    assert _json("verify-publisher", "alice", *db)["verified"] is True
    plain = run_tank("registry", "verify-publisher", "alice", "--revoke", *db)
    assert plain.returncode == 0 and "alice is no longer a verified publisher" in plain.stdout
    missing = run_tank("registry", "grant-reviewer", "nobody", *db, "--json")
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    assert json.loads(missing.stdout)["error"]["code"] == "user_not_found"

    # Verified again: the next publish earns the point.
    _json("verify-publisher", "alice", *db)
    token = server.token("alice", PASSWORD, ("read", "publish"))
    data = pack_skill(skill_factory(scope="alice"))
    published = server.client(token).post("/v1/skills", files={"tarball": ("s.tgz", data)})
    assert published.status_code == 201, published.text
    assert published.json()["score_breakdown"]["verified_publisher"]["points"] == 1

    # A benign skill rescanned: scanned, nothing changed, nothing quarantined.
    storage = ("--storage", str(server.storage))
    report = _json("rescan", "--all", *db, *storage)
    assert (report["scanned"], report["changed"], report["quarantined"]) == (1, [], [])
    one = run_tank("registry", "rescan", "@alice/pdf@1.0.0", *db, *storage)
    assert one.returncode == 0, one.stderr
    assert "scanned 1, changed 0, quarantined 0" in one.stdout
    assert server.client().get("/v1/skills/@alice/pdf/1.0.0/tarball").content == data
    nothing = run_tank("registry", "rescan", *db, *storage, "--json")
    assert nothing.returncode != 0 and json.loads(nothing.stdout)["error"]["code"] == "usage"

    engine = make_engine(server.db_url)
    try:
        with session_factory(engine)() as session:
            user = session.scalars(select(User).where(User.username == "alice")).one()
            assert user.reviewer is True and user.verified is True
            actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    finally:
        engine.dispose()
    assert actions.count("user.reviewer_granted") == 1
    assert actions.count("user.verified_granted") == 2
    assert actions.count("user.verified_revoked") == 1
    assert "skill.rescanned" not in actions and "skill.quarantined" not in actions
