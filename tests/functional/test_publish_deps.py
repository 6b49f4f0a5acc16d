"""Publish refuses dependencies nobody could install: missing, unmatched, private-from-public."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import Server, SkillFactory
from tests.functional.test_publish_api import login, post

Pack = Callable[[Path], bytes]


def _refusal(answer: Any, code: str) -> dict[str, Any]:
    assert answer.status_code == 422, answer.text
    error: dict[str, Any] = answer.json()["error"]
    assert error["code"] == "bad_dependency", error
    assert error["hint"], error
    assert any(p["code"] == code for p in error["problems"]), error
    return error


def test_publish_refuses_a_dependency_nobody_can_install(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = login(server, "alice")
    bob = login(server, "bob")
    for version in ("1.0.0", "1.1.0"):
        base = skill_factory(scope="alice", name="base", version=version)
        assert post(alice, pack_skill(base)).status_code == 201
    assert alice.post("/v1/skills/@alice/base/1.1.0/yank").status_code == 200
    secret = skill_factory(scope="bob", name="secret")
    assert post(bob, pack_skill(secret), private="true").status_code == 201

    # A skill that does not exist, named, with how to fix it.
    ghost = skill_factory(scope="alice", name="app", deps={"@nobody/ghost": "^1.0.0"})
    error = _refusal(post(alice, pack_skill(ghost)), "dependency.not_found")
    assert "@nobody/ghost" in error["message"]
    # One the publisher may not see is the same answer: no existence leak.
    hidden = skill_factory(scope="alice", name="app", deps={"@bob/secret": "^1.0.0"})
    error = _refusal(post(alice, pack_skill(hidden)), "dependency.not_found")
    assert error["problems"][0]["message"] == "@bob/secret does not exist on this registry"
    # No installable version in the range (1.1.0 is yanked, so ~1.1.0 has none).
    for wanted in ("^2.0.0", "~1.1.0"):
        folder = skill_factory(scope="alice", name="app", deps={"@alice/base": wanted})
        error = _refusal(post(alice, pack_skill(folder)), "dependency.no_match")
        assert "@alice/base" in error["message"] and wanted in error["problems"][0]["message"]
        assert "1.0.0" in error["problems"][0]["hint"]
    # Nothing was stored.
    assert server.client().get("/v1/skills/@alice/app").status_code == 404

    # A range with an installable version is fine.
    good = skill_factory(scope="alice", name="app", deps={"@alice/base": "^1.0.0"})
    answer = post(alice, pack_skill(good))
    assert answer.status_code == 201, answer.text
    assert not answer.json().get("warnings")


def test_private_dependencies_only_from_private_skills(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = login(server, "alice")
    assert alice.post("/v1/orgs", json={"name": "acme"}).status_code == 201
    inner = skill_factory(scope="alice", name="inner")
    assert post(alice, pack_skill(inner), private="true").status_code == 201

    # A public skill may not depend on a private one: nobody else could install it, and its
    # public document would name the private skill.
    public = skill_factory(scope="alice", name="open", deps={"@alice/inner": "^1.0.0"})
    error = _refusal(post(alice, pack_skill(public)), "dependency.private")
    assert "@alice/inner" in error["message"]
    # A private skill of the same scope may: its readers read the dependency too.
    same = skill_factory(scope="alice", name="closed", deps={"@alice/inner": "^1.0.0"})
    answer = post(alice, pack_skill(same), private="true")
    assert answer.status_code == 201, answer.text
    assert not answer.json().get("warnings")
    # In another scope it is allowed, with a warning: that scope's readers may not read it.
    other = skill_factory(scope="acme", name="tool", deps={"@alice/inner": "^1.0.0"})
    answer = post(alice, pack_skill(other), private="true")
    assert answer.status_code == 201, answer.text
    (warning,) = answer.json()["warnings"]
    assert warning["code"] == "dependency.private_elsewhere" and "@alice/inner" in str(warning)
