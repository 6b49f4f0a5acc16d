"""``POST /v1/status`` over HTTP, on both databases: many versions' status in one request."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import Server, SkillFactory, set_verdict
from tests.functional.test_publish_api import login, post

Pack = Callable[[Path], bytes]
ENTRY = {
    "verdict",
    "audit_score",
    "servable",
    "yanked",
    "deleted",
    "publisher",
    "signature",
    "signer",
    "sigstore",
}


def test_status_of_public_private_unknown_deleted_and_failed_versions(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = login(server, "alice")
    reader = login(server, "reader", ("read",))
    stranger = login(server, "stranger", ("read",))
    assert alice.post("/v1/orgs", json={"name": "acme"}).status_code == 201
    assert alice.put("/v1/orgs/acme/members/reader", json={"role": "reader"}).status_code == 200
    for version in ("1.0.0", "1.1.0", "1.2.0"):
        data = pack_skill(skill_factory(scope="alice", name="pdf", version=version))
        assert post(alice, data).status_code == 201
    secret = pack_skill(skill_factory(scope="acme", name="secret"))
    assert post(alice, secret, private="true").status_code == 201
    assert alice.delete("/v1/skills/@alice/pdf/1.1.0").status_code == 200
    set_verdict(server.db_url, "@alice/pdf", "1.2.0", "fail")

    keys = [
        "@alice/pdf@1.0.0",
        "@alice/pdf@1.1.0",  # unpublished
        "@alice/pdf@1.2.0",  # quarantined by a rescan
        "@alice/pdf@9.9.9",  # no such version
        "@nobody/none@1.0.0",  # no such skill
        "@acme/secret@1.0.0",  # private to @acme's members
        "@alice/pdf@1.0.0+build.7",  # build metadata is not part of the stored version
    ]
    anonymous = server.client().post("/v1/status", json={"versions": keys})
    assert anonymous.status_code == 200, anonymous.text
    assert anonymous.headers["cache-control"] == "no-store"
    found = anonymous.json()["versions"]
    assert list(found) == keys
    assert set(found["@alice/pdf@1.0.0"]) == ENTRY
    assert found["@alice/pdf@1.0.0"]["verdict"] == "pass"
    assert found["@alice/pdf@1.0.0"]["servable"] is True
    assert isinstance(found["@alice/pdf@1.0.0"]["audit_score"], float | int)
    assert found["@alice/pdf@1.0.0+build.7"] == found["@alice/pdf@1.0.0"]
    assert found["@alice/pdf@1.1.0"]["deleted"] is True
    assert found["@alice/pdf@1.1.0"]["servable"] is False
    assert found["@alice/pdf@1.2.0"] == {**found["@alice/pdf@1.2.0"], "verdict": "fail"}
    assert found["@alice/pdf@1.2.0"]["servable"] is False
    assert found["@alice/pdf@1.2.0"]["deleted"] is False
    assert found["@alice/pdf@9.9.9"] is None and found["@nobody/none@1.0.0"] is None
    # A private skill is indistinguishable from an unknown one, anonymously or for outsiders.
    assert found["@acme/secret@1.0.0"] is None
    outsider = stranger.post("/v1/status", json={"versions": keys}).json()["versions"]
    assert outsider == found
    member = reader.post("/v1/status", json={"versions": keys}).json()["versions"]
    assert member["@acme/secret@1.0.0"] is not None
    assert member["@acme/secret@1.0.0"]["servable"] is True
    assert {k: v for k, v in member.items() if k != "@acme/secret@1.0.0"} == {
        k: v for k, v in found.items() if k != "@acme/secret@1.0.0"
    }
    # The /api/v1 alias answers the same, and an empty list is a valid question.
    assert server.client().post("/api/v1/status", json={"versions": keys}).json() == {
        "versions": found
    }
    assert server.client().post("/v1/status", json={"versions": []}).json() == {"versions": {}}
    # A bad token is a 401, never anonymous.
    bad = server.client("tank_nonsense").post("/v1/status", json={"versions": keys})
    assert bad.status_code == 401


def test_bad_bodies_are_refused_with_422(server: Server) -> None:
    anon = server.client()
    bodies: list[object] = [
        {},
        {"versions": "@alice/pdf@1.0.0"},
        {"versions": [1]},
        {"versions": [""]},
        {"versions": ["@alice/pdf@1.0.0"], "other": 1},
        {"versions": ["x" * 301]},
        ["@alice/pdf@1.0.0"],
    ]
    for body in bodies:
        answer = anon.post("/v1/status", json=body)
        assert answer.status_code == 422, (body, answer.text)
        assert "error" in answer.json()
    for key in ("alice/pdf@1.0.0", "@alice/pdf", "@alice/pdf@latest", "@Alice/pdf@1.0.0", "@a@1"):
        answer = anon.post("/v1/status", json={"versions": ["@alice/pdf@1.0.0", key]})
        assert answer.status_code == 422, (key, answer.text)
        error = answer.json()["error"]
        assert error["code"] == "bad_version_key" and "@scope/name@version" in error["message"]
        assert [p["message"] for p in error["problems"]] == [f"{key!r} is not @scope/name@version"]
    answer = anon.post("/v1/status", json={"versions": [f"@a/b@1.0.{i}" for i in range(1001)]})
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "too_many_versions"
    most = anon.post("/v1/status", json={"versions": [f"@a/b@1.0.{i}" for i in range(1000)]})
    assert most.status_code == 200 and len(most.json()["versions"]) == 1000


def test_status_is_a_read_not_counted_by_the_write_limit(
    server_factory: Callable[..., Server],
) -> None:
    server = server_factory(
        env={
            "TANK_REGISTRY_RATE_LIMIT_WRITES_PER_IP": "2",
            "TANK_REGISTRY_RATE_LIMIT_WRITES_PER_TOKEN": "2",
        }
    )
    alice = login(server, "alice", ("read",))
    for client in (server.client(), alice):
        for _ in range(5):
            answer = client.post("/v1/status", json={"versions": ["@a/b@1.0.0"]})
            assert answer.status_code == 200, answer.text
    # The write limit is on: writes from the same address are refused once over it.
    codes = [alice.post("/v1/orgs", json={"name": f"org{i}"}).status_code for i in range(3)]
    assert codes[-1] == 429, codes
