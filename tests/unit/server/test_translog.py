"""Registry keys, attestations and the transparency log, on real SQLite and PostgreSQL.

Publishes go through the real publish service; proofs are checked with the client's own
verification code (:mod:`tank.core.translog`), never with the server's.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select, text

from tank.core import merkle
from tank.core.signing import check_subject, verify_envelope
from tank.core.translog import (
    LogError,
    TreeHead,
    Wanted,
    check_consistency,
    check_inclusion,
    check_proofs,
    parse_entry,
    parse_hashes,
    trusted_keys,
    verify_head,
)
from tank.server.context import Registry
from tank.server.db.engine import write_session
from tank.server.db.models import LogHead, LogLeaf, LogState, Scope, SkillVersion, User
from tank.server.services import (
    attestations,
    log_admin,
    registry_keys,
    sbom,
    translog,
)
from tank.server.services import publish as publish_service
from tank.server.services.auth import Principal
from tank.server.services.pipeline import Upload
from tank.server.services.rescan import rescan
from tests.conftest import SkillFactory

Pack = Callable[[Path], bytes]


def make_user(reg: Registry, name: str) -> Principal:
    with write_session(reg.sessions) as session:
        user = User(username=name, password_hash="x")
        session.add(user)
        session.flush()
        session.add(Scope(name=name, owner_user_id=user.id))
        return Principal(user.id, name, 1, frozenset({"read", "publish"}))


def publish(reg: Registry, who: Principal, data: bytes) -> dict[str, object]:
    return publish_service.publish(reg, who, Upload(data))


def keys_of(reg: Registry) -> list[dict[str, object]]:
    with reg.sessions() as session:
        return registry_keys.served_keys(session)


def test_publishes_are_attested_and_logged_with_provable_heads(
    registry: Registry, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = make_user(registry, "alice")
    # Unique bytes: the SBOM cache is per process and keyed by integrity.
    unique = {"note.md": uuid.uuid4().hex}
    datas = [
        pack_skill(skill_factory(scope="alice", name=n, version=v, files=unique))
        for n, v in (("pdf", "1.0.0"), ("pdf", "1.1.0"), ("csv", "1.0.0"))
    ]
    docs = [publish(registry, alice, d) for d in datas]
    keys = trusted_keys([], keys_of(registry))
    assert len(keys) == 1
    with registry.sessions() as session:
        head_row = translog.latest_head(session)
        assert head_row is not None and head_row.size == 3
        head, keyid = verify_head(head_row.envelope, keys)
        assert keyid == keys[0].keyid
        for index, doc in enumerate(docs):
            name, version = str(doc["name"]), str(doc["version"])
            found = translog.inclusion(session, None, name=name, version=version)
            entry = parse_entry(found["entry"])
            assert found["index"] == index and entry.integrity == doc["integrity"]
            check_inclusion(entry, index, parse_hashes(found["proof"], "proof"), head)
            # The attestation the leaf names is stored, signed by the registry key, and says
            # what the registry checked.
            listing = attestations.listing(session, None, name, version)
            (attestation,) = listing["attestations"]
            assert attestation["digest"] == entry.attestation
            verified = verify_envelope(attestation["envelope"], keys)
            check_subject(verified.statement, name, version, str(doc["integrity"]))
            predicate = verified.statement["predicate"]
            assert verified.statement["predicateType"] == attestations.PREDICATE
            assert predicate["verdict"] == doc["verdict"]
            assert predicate["audit_score"] == doc["audit_score"]
            assert predicate["score_breakdown"] == doc["score_breakdown"]
            assert predicate["reproducible"] is True
            assert predicate["publisher"] == {
                "username": "alice",
                "verified": False,
                "trusted_publisher": None,  # published with a personal token
            }
            assert predicate["provenance"] is None
            assert predicate["signature"] == {"present": False, "kind": None, "fingerprint": None}
            # The SBOM digest is the digest of the SBOM the registry serves.
            served = sbom.render(registry, sbom.target(session, None, name, version))
            assert predicate["sbom"]["sha256"] == hashlib.sha256(served).hexdigest()
        for first in range(4):
            proof = translog.consistency(session, first)["proof"]
            old = TreeHead(first, _root_at(session, first), "")
            check_consistency(old, head, parse_hashes(proof, "proof"))


def _root_at(session: object, size: int) -> bytes:
    rows = session.scalars(select(LogLeaf.leaf_hash).order_by(LogLeaf.idx))  # type: ignore[attr-defined]
    return merkle.root([bytes.fromhex(h) for h in rows][:size])


def test_concurrent_publishes_get_gapless_serial_leaves(
    registry: Registry, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = make_user(registry, "alice")
    datas = [pack_skill(skill_factory(scope="alice", name=f"s{i}")) for i in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda d: publish(registry, alice, d), datas))
    with registry.sessions() as session:
        indexes = session.scalars(select(LogLeaf.idx).order_by(LogLeaf.idx)).all()
        assert indexes == list(range(8))
        sizes = session.scalars(select(LogHead.size).order_by(LogHead.id)).all()
        assert sorted(sizes) == sizes and sizes[-1] == 8  # one head per append, in order
    report = log_admin.verify(registry)
    assert report.problems == [] and report.size == 8


def test_the_client_check_accepts_an_honest_answer_and_refuses_a_missing_version(
    registry: Registry, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = make_user(registry, "alice")
    one = publish(registry, alice, pack_skill(skill_factory(scope="alice", name="one")))
    with registry.sessions() as session:
        answer = translog.proofs(session, None, ["@alice/one@1.0.0"], None)
    wanted = [Wanted("@alice/one@1.0.0", str(one["integrity"]))]
    checked = check_proofs(answer, wanted, [], None, registry="r")
    assert checked.indexes == {"@alice/one@1.0.0": 0} and checked.head.size == 1
    two = publish(registry, alice, pack_skill(skill_factory(scope="alice", name="two")))
    with registry.sessions() as session:
        later = translog.proofs(session, None, ["@alice/two@1.0.0", "@alice/x@1.0.0"], 1)
    wanted = [Wanted("@alice/two@1.0.0", str(two["integrity"]))]
    again = check_proofs(later, wanted, checked.keys, checked.head, registry="r")
    assert again.head.size == 2 and again.indexes == {"@alice/two@1.0.0": 1}
    with pytest.raises(LogError) as missing:
        check_proofs(
            later, [Wanted("@alice/x@1.0.0", str(two["integrity"]))], [], None, registry="r"
        )
    assert missing.value.code == "log_missing", missing.value.message
    with pytest.raises(LogError) as other_bytes:
        check_proofs(
            later, [Wanted("@alice/two@1.0.0", str(one["integrity"]))], [], None, registry="r"
        )
    assert other_bytes.value.code == "log_integrity_mismatch"
    with pytest.raises(LogError) as moved:
        check_proofs(
            later, [Wanted("@alice/two@1.0.0", str(two["integrity"]), 0)], [], None, registry="r"
        )
    assert moved.value.code == "log_index_mismatch"


def test_rotated_keys_still_verify_old_heads_and_are_endorsed(
    registry: Registry, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = make_user(registry, "alice")
    publish(registry, alice, pack_skill(skill_factory(scope="alice", name="one")))
    first_keys = trusted_keys([], keys_of(registry))
    with registry.sessions() as session:
        old_head = translog.latest_head(session)
        assert old_head is not None
    result = log_admin.rotate_key(registry)
    assert result["retired"] == first_keys[0].keyid and result["head_size"] == 1
    publish(registry, alice, pack_skill(skill_factory(scope="alice", name="two")))
    served = keys_of(registry)
    assert [k["active"] for k in served] == [False, True]
    # A client that pinned the first key follows the endorsement to the second.
    followed = trusted_keys(first_keys, served)
    assert [k.keyid for k in followed] == [first_keys[0].keyid, result["active"]]
    with registry.sessions() as session:
        new_head = translog.latest_head(session)
        assert new_head is not None and new_head.keyid == result["active"]
        verify_head(new_head.envelope, followed)
    verify_head(old_head.envelope, followed)  # the old head still verifies
    with pytest.raises(LogError):
        verify_head(new_head.envelope, first_keys)  # the old key alone cannot vouch for it
    # An endorsement signed by anyone but the pinned key is not followed.
    forged = [served[0], {**served[1], "endorsement": served[1]["endorsement"]}]
    forged[1]["key"] = trusted_keys([], [served[0]])[0].as_dict()  # names another key
    assert [k.keyid for k in trusted_keys(first_keys, [forged[1]])] == [first_keys[0].keyid]
    unendorsed = {**served[1], "endorsement": None}
    assert trusted_keys(first_keys, [unendorsed]) == first_keys
    assert log_admin.verify(registry).problems == []


def test_log_verify_catches_tampered_rows(
    registry: Registry, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = make_user(registry, "alice")
    for name in ("one", "two", "three"):
        publish(registry, alice, pack_skill(skill_factory(scope="alice", name=name)))
    assert log_admin.verify(registry).problems == []
    forged = "sha512-" + "A" * 86 + "=="
    with write_session(registry.sessions) as session:
        session.execute(text("UPDATE log_leaves SET integrity = :i WHERE idx = 1"), {"i": forged})
    problems = log_admin.verify(registry).problems
    assert any("leaf 1 " in p and "stored hash" in p for p in problems), problems
    assert any("leaf 1 " in p and "integrity" in p for p in problems), problems
    assert any("signed root is not the root recomputed" in p for p in problems), problems


def test_log_verify_catches_a_consistent_rewrite_and_an_unlogged_version(
    registry: Registry, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = make_user(registry, "alice")
    for name in ("one", "two"):
        publish(registry, alice, pack_skill(skill_factory(scope="alice", name=name)))
    # Someone with database access rewrites leaf 0 *and* its stored hash: the old signed
    # heads still give it away.
    with write_session(registry.sessions) as session:
        leaf = session.get(LogLeaf, 0)
        assert leaf is not None
        leaf.signer = "forged"
        leaf.leaf_hash = translog.entry_of(leaf).leaf_hash.hex()
    problems = log_admin.verify(registry).problems
    assert any("tree head" in p and "signed root" in p for p in problems), problems
    # A version stored without a leaf is reported too.
    with write_session(registry.sessions) as session:
        session.execute(text("DELETE FROM log_leaves WHERE idx = 1"))
    problems = log_admin.verify(registry).problems
    assert any("@alice/two@1.0.0 is stored but not in the log" in p for p in problems)


def test_prepare_backfills_versions_published_before_the_log(
    registry: Registry, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = make_user(registry, "alice")
    for name in ("one", "two"):
        publish(registry, alice, pack_skill(skill_factory(scope="alice", name=name)))
    with write_session(registry.sessions) as session:  # as a database from before 0006
        for table in ("log_heads", "log_leaves", "version_attestations"):
            session.execute(text(f"DELETE FROM {table}"))
        state = session.get(LogState, 1)
        assert state is not None
        state.size, state.frontier = 0, []
    assert log_admin.prepare(registry) == 2
    assert log_admin.prepare(registry) == 0  # idempotent
    report = log_admin.verify(registry)
    assert report.problems == [] and report.size == 2


def test_a_rescan_that_changes_the_verdict_adds_an_attestation(
    registry: Registry, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = make_user(registry, "alice")
    publish(registry, alice, pack_skill(skill_factory(scope="alice", name="one")))
    rescan(registry, "@alice/one")  # same verdict: no new attestation
    with registry.sessions() as session:
        assert len(attestations.listing(session, None, "@alice/one", "1.0.0")["attestations"]) == 1
    with write_session(registry.sessions) as session:
        row = session.scalars(select(SkillVersion)).one()
        row.verdict = "flagged"  # as an earlier scanner had said
    rescan(registry, "@alice/one")
    with registry.sessions() as session:
        found = attestations.listing(session, None, "@alice/one", "1.0.0")["attestations"]
    assert [a["reason"] for a in found] == ["publish", "rescan"]
    verified = verify_envelope(found[1]["envelope"], trusted_keys([], keys_of(registry)))
    assert verified.statement["predicate"]["verdict"] == "pass"
    assert verified.statement["predicate"]["sbom"] is not None  # carried over


def test_private_entries_are_shown_only_to_readers(
    registry: Registry, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    from tank.server.errors import NotFound

    alice = make_user(registry, "alice")
    data = pack_skill(skill_factory(scope="alice", name="secret"))
    publish_service.publish(registry, alice, Upload(data, private=True))
    key = "@alice/secret@1.0.0"
    with registry.sessions() as session:
        assert translog.proofs(session, None, [key], None)["entries"][key] is None
        with pytest.raises(NotFound):
            translog.inclusion(session, None, index=0)
        with pytest.raises(NotFound):
            translog.inclusion(session, None, name="@alice/secret", version="1.0.0")
        mine = translog.proofs(session, alice, [key], None)["entries"][key]
        assert mine is not None and mine["index"] == 0
        assert translog.inclusion(session, alice, index=0)["entry"]["name"] == "@alice/secret"
