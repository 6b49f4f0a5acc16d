"""``POST /v1/skills/{name}/review`` against the real registry, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from tests.conftest import Server, SkillFactory

Pack = Callable[[Path], bytes]
PASSWORD = "correct horse battery"


def login(
    server: Server,
    name: str,
    *,
    reviewer: bool = False,
    scopes: tuple[str, ...] = ("read", "publish"),
) -> httpx.Client:
    """Create ``name`` (a reviewer when asked, through the admin entry) and log in over HTTP."""
    from tank.server.admin import create_user, set_user_flag
    from tank.server.settings import load_settings

    create_user(server.db_url, name, PASSWORD)
    if reviewer:
        set_user_flag(load_settings(None, database_url=server.db_url), name, "reviewer")
    return server.client(server.token(name, PASSWORD, scopes))


def review(client: httpx.Client, verdict: str = "approve", **extra: object) -> httpx.Response:
    body = {"version": "1.0.0", "verdict": verdict, "comment": "read every script", **extra}
    return client.post("/v1/skills/@alice/pdf/review", json=body)


def test_reviews_rules_points_and_history(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = login(server, "alice", reviewer=True)
    data = pack_skill(skill_factory(scope="alice"))
    published = alice.post("/v1/skills", files={"tarball": ("s.tgz", data)})
    assert published.status_code == 201, published.text
    base = published.json()["audit_score"]
    carol, dave, erin = (login(server, n, reviewer=True) for n in ("carol", "dave", "erin"))
    mallory = login(server, "mallory")

    # Who may not review.
    assert review(server.client()).status_code == 401
    refused = review(mallory)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_a_reviewer"
    own = review(alice)
    assert own.status_code == 403 and own.json()["error"]["code"] == "review_own_scope"
    reader = login(server, "rita", reviewer=True, scopes=("read",))
    assert review(reader).json()["error"]["code"] == "token_scope"

    # Bad bodies are a clear 422; unknown versions a 404.
    for body in (
        {"version": "1.0.0", "verdict": "meh"},
        {"version": "1.0.0", "verdict": "approve", "comment": "x" * 4001},
        {"verdict": "approve"},
        {"version": "1.0.0", "verdict": "approve", "points": 2},
    ):
        answer = carol.post("/v1/skills/@alice/pdf/review", json=body)
        assert answer.status_code == 422, body
        assert answer.json()["error"]["problems"], body
    assert review(carol, version="9.9.9").status_code == 404
    assert carol.post("/v1/skills/@alice/none/review", json={"version": "1.0.0",
                      "verdict": "approve"}).status_code == 404  # fmt: skip

    # Approvals from distinct reviewers: +1 each, at most 2; a second post replaces the first.
    first = review(carol)
    assert first.status_code == 200, first.text
    assert first.json()["approvals"] == 1 and first.json()["audit_score"] == base + 1
    assert first.json()["replaced"] is False
    changed = review(carol, "concerns", comment="the script phones home?")
    assert changed.json()["replaced"] is True and changed.json()["approvals"] == 0
    assert changed.json()["audit_score"] == base
    assert review(carol).json()["approvals"] == 1
    two = review(dave).json()
    assert two["approvals"] == 2 and two["audit_score"] == base + 2
    assert two["score_breakdown"]["community_reviews"]["points"] == 2
    three = review(erin).json()
    assert three["approvals"] == 3 and three["audit_score"] == base + 2

    # The documents and the history follow.
    anon = server.client()
    assert anon.get("/v1/skills/@alice/pdf/1.0.0").json()["audit_score"] == base + 2
    summary = anon.get("/v1/skills/@alice/pdf").json()["versions"]["1.0.0"]
    assert summary["audit_score"] == base + 2
    assert summary["score_breakdown"]["community_reviews"]["points"] == 2
    audit = anon.get("/v1/skills/@alice/pdf/audit").json()["versions"][0]
    reasons = [(h["reason"], h["actor"], h["audit_score"]) for h in audit["history"]]
    assert reasons == [
        ("review", "erin", base + 2),
        ("review", "dave", base + 2),
        ("review", "carol", base + 1),
        ("review", "carol", base),
        ("review", "carol", base + 1),
        ("publish", "alice", base),
    ]
    assert audit["history"][3]["details"] == {
        "reviewer": "carol", "verdict": "concerns", "replaced": True,
    }  # fmt: skip
    assert sorted((r["reviewer"], r["verdict"]) for r in audit["reviews"]) == [
        ("carol", "approve"), ("dave", "approve"), ("erin", "approve"),
    ]  # fmt: skip


def test_org_members_may_not_review_their_org_skills(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    from tank.server.admin import add_member, create_org
    from tank.server.settings import load_settings

    settings = load_settings(None, database_url=server.db_url)
    owner = login(server, "olga")
    member = login(server, "mike", reviewer=True)
    create_org(settings, "alice", owner="olga")
    add_member(settings, "alice", "mike", role="reader")
    answer = owner.post(
        "/v1/skills", files={"tarball": ("s.tgz", pack_skill(skill_factory(scope="alice")))}
    )
    assert answer.status_code == 201, answer.text
    refused = review(member)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "review_own_scope"
