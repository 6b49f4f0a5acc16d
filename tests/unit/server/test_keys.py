"""Publisher keys on real databases: add, list, revoke, public lookup, who may do what;
and the signing point a rescan takes back once the key is revoked."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tank.core.integrity import sri_sha512
from tank.core.publisher_sig import public_pem, sign_publish
from tank.core.signing import generate_key, load_signer
from tank.server.context import Registry
from tank.server.db.engine import write_session
from tank.server.db.models import Scope, User
from tank.server.errors import ApiError, Conflict, Forbidden, NotFound
from tank.server.services import keys
from tank.server.services import publish as publish_service
from tank.server.services.auth import Principal
from tank.server.services.pipeline import Upload
from tank.server.services.rescan import rescan
from tests.conftest import SkillFactory

Pack = Callable[[Path], bytes]


def make_user(
    reg: Registry, name: str, scopes: tuple[str, ...] = ("read", "publish"), **kw: object
) -> Principal:
    with write_session(reg.sessions) as session:
        user = User(username=name, password_hash="x")
        session.add(user)
        session.flush()
        session.add(Scope(name=name, owner_user_id=user.id))
        return Principal(user.id, name, 1, frozenset(scopes), **kw)  # type: ignore[arg-type]


def test_keys_are_added_listed_revoked_and_public(registry: Registry) -> None:
    alice = make_user(registry, "alice")
    bob = make_user(registry, "bob")
    _, first = generate_key()
    _, second = generate_key()
    with write_session(registry.sessions) as session:
        row = keys.add_key(session, alice, public_pem(first), name="laptop")  # PEM
        assert row.keyid == first.keyid
        assert keys.add_key(session, alice, public_pem(first)).id == row.id  # idempotent
        keys.add_key(session, alice, json.dumps(second.as_dict()), name="ci")  # key JSON
        with pytest.raises(Conflict) as taken:
            keys.add_key(session, bob, json.dumps(first.as_dict()))
        assert taken.value.code == "key_taken"
        with pytest.raises(ApiError) as bad:
            keys.add_key(session, alice, "not a key")
        assert bad.value.status == 422 and bad.value.code == "key_invalid"
    with write_session(registry.sessions) as session:
        revoked = keys.revoke_key(session, alice, first.keyid[:10].upper())
        assert revoked.revoked_at is not None
        with pytest.raises(NotFound):
            keys.revoke_key(session, bob, second.keyid)  # not bob's
        with pytest.raises(NotFound):
            keys.revoke_key(session, alice, first.keyid[:4])  # too short to name a key
    with write_session(registry.sessions) as session:
        with pytest.raises(Conflict) as again:
            keys.add_key(session, alice, public_pem(first))
        assert again.value.code == "key_revoked"
    with registry.sessions() as session:
        listed = keys.list_keys(session, alice)
        assert [(k["keyid"], k["name"], k["revoked"]) for k in listed] == [
            (first.keyid, "laptop", True),
            (second.keyid, "ci", False),
        ]
        assert keys.user_keys(session, "alice")["keys"] == listed
        assert [k.keyid for k in keys.active_keys(session, alice.user_id)] == [second.keyid]
        assert keys.revoked_keyids(session, alice.user_id) == {first.keyid}
        with pytest.raises(NotFound):
            keys.user_keys(session, "nobody")


@pytest.mark.parametrize(
    ("scopes", "restrict"), [(("read",), ()), (("read", "publish"), ("@alice/pdf",))]
)
def test_read_only_or_restricted_tokens_cannot_manage_keys(
    registry: Registry, scopes: tuple[str, ...], restrict: tuple[str, ...]
) -> None:
    alice = make_user(registry, "alice", scopes, restrict_to=restrict)
    _, public = generate_key()
    with write_session(registry.sessions) as session, pytest.raises(Forbidden):
        keys.add_key(session, alice, public_pem(public))


def test_rescan_takes_the_signing_point_back_once_the_key_is_revoked(
    registry: Registry, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = make_user(registry, "alice")
    pem, public = generate_key()
    with write_session(registry.sessions) as session:
        keys.add_key(session, alice, public_pem(public))
    data = pack_skill(skill_factory(scope="alice"))
    envelope = sign_publish(load_signer(pem), "@alice/pdf", "1.0.0", sri_sha512(data))
    doc = publish_service.publish(registry, alice, Upload(data, signature=json.dumps(envelope)))
    assert doc["score_breakdown"]["code_signing"]["points"] == 1
    rescan(registry, "@alice/pdf")  # still verifies: the point stays
    with registry.sessions() as session:
        assert keys.list_keys(session, alice)[0]["revoked"] is False
    with write_session(registry.sessions) as session:
        keys.revoke_key(session, alice, public.keyid)
    report = rescan(registry, "@alice/pdf")
    assert report.changed and report.changed[0]["after"]["audit_score"] == doc["audit_score"] - 1
    with registry.sessions() as session:
        from tank.server.services.skills import find_version, version_document, visible_skill

        skill = visible_skill(session, None, "@alice/pdf")
        item = version_document(session, skill, find_version(session, skill, "1.0.0"))
    note = item["score_breakdown"]["code_signing"]
    assert note["points"] == 0 and "no longer verifies" in note["note"]
