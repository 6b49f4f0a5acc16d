"""Enforced semver at publish, over HTTP on the real registry (SQLite and PostgreSQL), plus the
race the store transaction's second check closes (in process, on the real databases)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from tank.core.errors import ValidationError
from tank.server.context import Registry
from tank.server.db.models import AuditEvent, SkillVersion
from tank.server.services import publish as publish_service
from tank.server.services.pipeline import Upload
from tests.conftest import Server, SkillFactory
from tests.functional.test_publish_api import blob_count, login, post
from tests.unit.server.test_publish import make_user

Pack = Callable[[Path], bytes]
NET = {"network": {"outbound": ["api.evil.dev"]}}
INPUTS: dict[str, Any] = {
    "type": "object",
    "properties": {"path": {"type": "string"}, "dpi": {"type": "integer"}},
    "required": ["path"],
}


def publish(
    client: httpx.Client,
    factory: SkillFactory,
    pack: Pack,
    version: str,
    permissions: dict[str, Any] | None = None,
    interface: dict[str, Any] | None = None,
) -> httpx.Response:
    folder = factory(scope="alice", version=version, permissions=permissions)
    if interface is not None:
        import json

        manifest = json.loads((folder / "skills.json").read_text())
        manifest["interface"] = interface
        (folder / "skills.json").write_text(json.dumps(manifest))
    return post(client, pack(folder))


def refused(answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code == 422, answer.text
    error: dict[str, Any] = answer.json()["error"]
    assert error["code"] == "semver_bump_required"
    return error


def test_patch_adding_network_is_refused_and_major_accepted(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = login(server, "alice")
    assert publish(alice, skill_factory, pack_skill, "1.0.0").status_code == 201
    blobs = blob_count(server)
    error = refused(publish(alice, skill_factory, pack_skill, "1.0.1", NET))
    assert error["message"] == (
        "@alice/pdf@1.0.1 needs a MAJOR bump from 1.0.0: 1.0.1 adds network.outbound "
        "api.evil.dev, a dangerous permission: publish it as 2.0.0 (MAJOR)"
    )
    assert error["hint"] == 'set "version": "2.0.0" in skills.json and publish again'
    assert blob_count(server) == blobs  # refused in the precheck, before the blob
    refused(publish(alice, skill_factory, pack_skill, "1.1.0", NET))  # a MINOR is not enough
    subprocess = {**NET, "subprocess": True}
    error = refused(publish(alice, skill_factory, pack_skill, "1.1.0", subprocess))
    assert "adds network.outbound api.evil.dev" in error["message"]
    assert "adds subprocess, a dangerous permission" in error["message"]
    assert publish(alice, skill_factory, pack_skill, "2.0.0", NET).status_code == 201
    # a new read path is a MINOR change
    reads = {**NET, "filesystem": {"read": ["./docs/**"]}}
    error = refused(publish(alice, skill_factory, pack_skill, "2.0.1", reads))
    assert "needs a MINOR bump from 2.0.0: 2.0.1 adds filesystem.read ./docs/**" in error["message"]
    assert publish(alice, skill_factory, pack_skill, "2.1.0", reads).status_code == 201
    # removing permissions is a patch
    assert publish(alice, skill_factory, pack_skill, "2.1.1", NET).status_code == 201
    versions = server.client().get("/v1/skills/@alice/pdf").json()["versions"]
    assert sorted(versions) == ["1.0.0", "2.0.0", "2.1.0", "2.1.1"]


def test_interface_changes_need_their_bump(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = login(server, "alice")
    first = {"inputs": INPUTS}
    assert publish(alice, skill_factory, pack_skill, "1.0.0", interface=first).status_code == 201
    breaking = {"inputs": {**INPUTS, "required": ["path", "dpi"]}}
    for version in ("1.0.1", "1.1.0"):
        error = refused(publish(alice, skill_factory, pack_skill, version, interface=breaking))
        assert (
            "breaks the interface inputs: /required: property 'dpi' is now required"
            in error["message"]
        )
        assert "publish it as 2.0.0 (MAJOR)" in error["message"]
    assert publish(alice, skill_factory, pack_skill, "2.0.0", interface=breaking).status_code == 201
    additive = {"inputs": breaking["inputs"], "outputs": {"type": "string"}}
    error = refused(publish(alice, skill_factory, pack_skill, "2.0.1", interface=additive))
    assert "extends the interface outputs: an outputs schema was added" in error["message"]
    assert publish(alice, skill_factory, pack_skill, "2.1.0", interface=additive).status_code == 201


def test_backport_is_compared_with_its_own_line(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = login(server, "alice")
    assert publish(alice, skill_factory, pack_skill, "1.0.0").status_code == 201
    assert publish(alice, skill_factory, pack_skill, "2.0.0", NET).status_code == 201
    # 1.0.1's predecessor is 1.0.0, not 2.0.0 (which already has network access)
    error = refused(publish(alice, skill_factory, pack_skill, "1.0.1", NET))
    assert "needs a MAJOR bump from 1.0.0" in error["message"]
    assert "2.0.0 is taken" in error["hint"]
    assert publish(alice, skill_factory, pack_skill, "1.0.1").status_code == 201
    # the history counts: an unpublished version is still a predecessor
    assert alice.delete("/v1/skills/@alice/pdf/1.0.1").status_code == 200
    error = refused(publish(alice, skill_factory, pack_skill, "1.0.2", NET))
    assert "from 1.0.1" in error["message"]


def test_zero_versions_follow_cargo_and_prereleases_cannot_smuggle(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = login(server, "alice")
    assert publish(alice, skill_factory, pack_skill, "0.1.0").status_code == 201
    error = refused(publish(alice, skill_factory, pack_skill, "0.1.1", NET))
    assert "publish it as 0.2.0 (MAJOR)" in error["message"]
    reads = {"filesystem": {"read": ["./docs/**"]}}
    assert publish(alice, skill_factory, pack_skill, "0.1.1", reads).status_code == 201  # 0.y.z
    assert publish(alice, skill_factory, pack_skill, "0.2.0", {**reads, **NET}).status_code == 201
    # a prerelease of the next patch is compared with 0.2.0, and so is the release after it
    assert (
        publish(alice, skill_factory, pack_skill, "0.2.1-rc.1", {**reads, **NET}).status_code == 201
    )
    refused(
        publish(
            alice, skill_factory, pack_skill, "0.2.1-rc.2", {**reads, **NET, "subprocess": True}
        )
    )
    error = refused(
        publish(alice, skill_factory, pack_skill, "0.2.1", {**reads, **NET, "subprocess": True})
    )
    assert "needs a MAJOR bump from 0.2.0" in error["message"]


def test_accepted_publish_records_the_check(
    registry: Registry, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = make_user(registry)
    for version, permissions in (("1.0.0", None), ("1.1.0", {"secrets": ["KEY"]})):
        folder = skill_factory(scope="alice", version=version, permissions=permissions)
        publish_service.publish(registry, alice, Upload(pack_skill(folder)))
    with registry.sessions() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "skill.published")
        ).all()
    details = {e.subject: e.details for e in events}
    assert details["@alice/pdf@1.0.0"]["semver"] is None
    assert details["@alice/pdf@1.1.0"]["semver"] == {
        "predecessor": "1.0.0",
        "required": "minor",
        "actual": "minor",
        "reasons": ["adds secret KEY"],
    }


def test_the_store_transaction_checks_again(
    registry: Registry,
    skill_factory: SkillFactory,
    pack_skill: Pack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A predecessor published between the precheck and the store is seen under the lock."""
    alice = make_user(registry)
    sneaky = Upload(pack_skill(skill_factory(scope="alice", version="1.0.1", permissions=NET)))
    base = Upload(pack_skill(skill_factory(scope="alice", version="1.0.0")))
    fired: list[str] = []

    def meanwhile(name: str) -> None:
        if name == "after_blob" and not fired:
            fired.append(name)
            publish_service.publish(registry, alice, base)  # 1.0.0 lands first

    monkeypatch.setattr(publish_service, "checkpoint", meanwhile)
    with pytest.raises(ValidationError) as caught:
        publish_service.publish(registry, alice, sneaky)  # its precheck saw no predecessor
    assert caught.value.code == "semver_bump_required" and fired
    with registry.sessions() as session:
        assert session.scalars(select(SkillVersion.version)).all() == ["1.0.0"]
