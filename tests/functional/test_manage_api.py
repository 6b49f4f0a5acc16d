"""Unpublish, yank and dist-tags over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import Server, SkillFactory
from tests.functional.test_publish_api import login, post

Pack = Callable[[Path], bytes]


def test_unpublish_within_the_window(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = login(server, "alice")
    bob = login(server, "bob")
    assert post(alice, pack_skill(skill_factory(scope="alice", version="1.0.0"))).status_code == 201
    assert post(alice, pack_skill(skill_factory(scope="alice", version="1.1.0"))).status_code == 201
    assert server.client().delete("/v1/skills/@alice/pdf/1.1.0").status_code == 401
    answer = bob.delete("/v1/skills/@alice/pdf/1.1.0")
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "scope_forbidden"

    answer = alice.delete("/v1/skills/@alice/pdf/1.1.0")
    assert answer.status_code == 200, answer.text
    doc = server.client().get("/v1/skills/@alice/pdf").json()
    assert doc["latest"] == "1.0.0" and doc["versions"]["1.1.0"] == {
        "version": "1.1.0",
        "deleted": True,
    }
    assert server.client().get("/v1/skills/@alice/pdf/1.1.0").status_code == 410
    assert server.client().get("/v1/skills/@alice/pdf/1.1.0/tarball").status_code == 410
    assert alice.delete("/v1/skills/@alice/pdf/1.1.0").status_code == 410
    # the number stays taken forever
    again = post(alice, pack_skill(skill_factory(scope="alice", version="1.1.0", files={"x": "y"})))
    assert again.status_code == 409 and again.json()["error"]["code"] == "version_exists"


def test_unpublish_refused_when_used_or_too_old(
    server_factory: Callable[..., Server], skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    server = server_factory(env={"TANK_REGISTRY_UNPUBLISH_WINDOW_HOURS": "0"})
    alice = login(server, "alice")
    assert post(alice, pack_skill(skill_factory(scope="alice"))).status_code == 201
    answer = alice.delete("/v1/skills/@alice/pdf/1.0.0")
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "unpublish_window"
    assert "yank" in answer.json()["error"]["hint"]


def test_unpublish_refused_with_dependents(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = login(server, "alice")
    bob = login(server, "bob")
    assert post(alice, pack_skill(skill_factory(scope="alice", version="1.0.0"))).status_code == 201
    assert post(alice, pack_skill(skill_factory(scope="alice", version="2.0.0"))).status_code == 201
    user = skill_factory(scope="bob", name="user", deps={"@alice/pdf": "^1.0.0"})
    assert post(bob, pack_skill(user)).status_code == 201
    answer = alice.delete("/v1/skills/@alice/pdf/1.0.0")
    assert answer.status_code == 409
    error = answer.json()["error"]
    assert error["code"] == "has_dependents" and "@bob/user@1.0.0" in error["message"]
    # 2.0.0 is outside bob's range: it may go
    assert alice.delete("/v1/skills/@alice/pdf/2.0.0").status_code == 200


def test_yank_excluded_from_resolution_but_downloadable(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = login(server, "alice")
    tarballs = {}
    for version in ("1.0.0", "1.1.0"):
        tarballs[version] = pack_skill(skill_factory(scope="alice", name="base", version=version))
        assert post(alice, tarballs[version]).status_code == 201
    app = skill_factory(scope="alice", name="app", deps={"@alice/base": "^1.0.0"})
    assert post(alice, pack_skill(app)).status_code == 201
    anon = server.client()
    assert anon.get("/v1/skills/@alice/app/deps").json()["resolution"] == {"@alice/base": "1.1.0"}

    answer = alice.post("/v1/skills/@alice/base/1.1.0/yank", json={"reason": "broken parser"})
    assert answer.status_code == 200 and answer.json()["yanked"] is True
    assert anon.get("/v1/skills/@alice/app/deps").json()["resolution"] == {"@alice/base": "1.0.0"}
    doc = anon.get("/v1/skills/@alice/base").json()
    assert doc["versions"]["1.1.0"]["yanked"] is True
    assert doc["versions"]["1.1.0"]["yank_reason"] == "broken parser"
    assert doc["latest"] == "1.0.0"
    # lockfiles keep working: the bytes are still served
    tar = anon.get("/v1/skills/@alice/base/1.1.0/tarball")
    assert tar.status_code == 200 and tar.content == tarballs["1.1.0"]
    # the yanked version itself can still be inspected
    assert anon.get("/v1/skills/@alice/base/deps", params={"version": "1.1.0"}).status_code == 200

    assert alice.post("/v1/skills/@alice/base/1.1.0/unyank").status_code == 200
    assert anon.get("/v1/skills/@alice/base").json()["latest"] == "1.1.0"
    bob = login(server, "bob")
    assert bob.post("/v1/skills/@alice/base/1.0.0/yank", json={}).status_code == 403


def test_dist_tags(server: Server, skill_factory: SkillFactory, pack_skill: Pack) -> None:
    alice = login(server, "alice")
    for version in ("1.0.0", "2.0.0-rc.1"):
        assert (
            post(alice, pack_skill(skill_factory(scope="alice", version=version))).status_code
            == 201
        )
    answer = alice.put("/v1/skills/@alice/pdf/dist-tags/next", json={"version": "2.0.0-rc.1"})
    assert answer.status_code == 200
    assert answer.json()["dist_tags"] == {"latest": "1.0.0", "next": "2.0.0-rc.1"}
    etag = server.client().get("/v1/skills/@alice/pdf").headers["etag"]
    assert server.client().get("/v1/skills/@alice/pdf").json()["dist_tags"]["next"] == "2.0.0-rc.1"
    assert (
        alice.put("/v1/skills/@alice/pdf/dist-tags/latest", json={"version": "1.0.0"}).status_code
        == 409
    )
    assert (
        alice.put("/v1/skills/@alice/pdf/dist-tags/1.0", json={"version": "1.0.0"}).status_code
        == 422
    )
    assert (
        alice.put("/v1/skills/@alice/pdf/dist-tags/x", json={"version": "9.0.0"}).status_code == 404
    )
    assert alice.delete("/v1/skills/@alice/pdf/dist-tags/next").status_code == 200
    after = server.client().get("/v1/skills/@alice/pdf")
    assert after.json()["dist_tags"] == {"latest": "1.0.0"} and after.headers["etag"] != etag
