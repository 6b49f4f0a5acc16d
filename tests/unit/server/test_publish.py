"""The publish service on real databases: stages, store, atomicity, garbage collection."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tank.core.errors import UnsafeArchiveError, ValidationError
from tank.core.integrity import sri_sha512
from tank.core.publisher_sig import sign_publish
from tank.core.signing import generate_key, load_signer
from tank.server.context import Registry
from tank.server.db.engine import write_session
from tank.server.db.models import (
    AuditEvent,
    Dependency,
    DistTag,
    Scope,
    Skill,
    SkillVersion,
    User,
)
from tank.server.errors import Conflict, Forbidden
from tank.server.services import keys
from tank.server.services import publish as publish_service
from tank.server.services.auth import Principal
from tank.server.services.gc import collect_garbage
from tank.server.services.pipeline import STAGES, Upload, run_stages
from tank.server.services.pipeline.stages import has_install_scripts
from tests.conftest import SkillFactory

Pack = Callable[[Path], bytes]


def make_user(
    reg: Registry, name: str = "alice", scopes: tuple[str, ...] = ("read", "publish")
) -> Principal:
    with write_session(reg.sessions) as session:
        user = User(username=name, password_hash="x")
        session.add(user)
        session.flush()
        session.add(Scope(name=name, owner_user_id=user.id))  # made with the account
        return Principal(user.id, name, 1, frozenset(scopes))


def test_stages_are_named_in_order() -> None:
    assert [name for name, _ in STAGES] == [
        "validate",
        "sign",
        "analyze",
        "behaviour",
        "permissions",
        "score",
    ]


def test_publish_stores_everything(
    registry: Registry, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = make_user(registry)
    base = pack_skill(skill_factory(scope="alice", name="base"))
    publish_service.publish(registry, alice, Upload(base))  # a dependency must exist
    data = pack_skill(skill_factory(scope="alice", deps={"@alice/base": "^1.0.0"}))
    pem, public = generate_key()
    with write_session(registry.sessions) as session:
        keys.add_key(session, alice, json.dumps(public.as_dict()))
    envelope = sign_publish(load_signer(pem), "@alice/pdf", "1.0.0", sri_sha512(data))
    doc = publish_service.publish(registry, alice, Upload(data, signature=json.dumps(envelope)))
    assert doc["name"] == "@alice/pdf" and doc["version"] == "1.0.0"
    assert doc["integrity"] == sri_sha512(data)
    assert doc["reproducible"] is True
    assert doc["verdict"] == "pass"
    assert doc["score_breakdown"]["reproducible_build"]["points"] == 1
    assert doc["score_breakdown"]["no_install_scripts"]["points"] == 1
    assert doc["score_breakdown"]["static_analysis"]["points"] == 1
    assert doc["score_breakdown"]["code_signing"]["points"] == 1  # verified
    assert doc["audit_score"] == sum(i["points"] for i in doc["score_breakdown"].values())
    assert doc["publisher"] == "alice"
    assert doc["signature"] == envelope and doc["signer"] == public.keyid
    assert {f["path"] for f in doc["files"]} == {"SKILL.md", "skills.json"}
    with registry.sessions() as session:
        skill = session.scalars(select(Skill).where(Skill.name == "@alice/pdf")).one()
        assert skill.latest_version == "1.0.0"
        assert skill.etag.startswith('"') and len(skill.etag) == 66
        tags = select(DistTag.version).where(DistTag.skill_id == skill.id)
        assert session.scalars(tags).all() == ["1.0.0"]
        assert session.scalars(select(Dependency.range)).all() == ["^1.0.0"]
        actions = session.scalars(select(AuditEvent.action)).all()
        assert "skill.published" in actions
        row = session.scalars(select(SkillVersion).where(SkillVersion.skill_id == skill.id)).one()
    assert registry.blobs.get(row.blob_key) == data


def test_build_metadata_is_dropped_and_the_number_stays_taken(
    registry: Registry, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = make_user(registry)
    publish_service.publish(
        registry, alice, Upload(pack_skill(skill_factory(scope="alice", version="1.0.0+b1")))
    )
    other = pack_skill(skill_factory(scope="alice", version="1.0.0+b2", files={"x.txt": "x"}))
    with pytest.raises(Conflict) as caught:
        publish_service.publish(registry, alice, Upload(other))
    assert caught.value.code == "version_exists"
    assert "bump" in (caught.value.hint or "")


def test_non_canonical_upload_is_accepted_but_not_reproducible(
    registry: Registry, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = make_user(registry)
    canonical = pack_skill(skill_factory(scope="alice"))
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(canonical))) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers() if m.isfile()]  # type: ignore[union-attr]
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for info, content in reversed(members):  # different order, different mtime
            info.mtime = 1_700_000_000
            tar.addfile(info, io.BytesIO(content))
    doc = publish_service.publish(registry, alice, Upload(out.getvalue()))
    assert doc["reproducible"] is False
    assert doc["integrity"] == sri_sha512(out.getvalue())  # the uploaded bytes are what is served
    assert doc["score_breakdown"]["reproducible_build"]["points"] == 0


def test_same_tar_in_other_gzip_is_reproducible(
    registry: Registry, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = make_user(registry)
    canonical = pack_skill(skill_factory(scope="alice"))
    regzipped = gzip.compress(gzip.decompress(canonical), compresslevel=1, mtime=12345)
    assert regzipped != canonical
    assert publish_service.publish(registry, alice, Upload(regzipped))["reproducible"] is True


def test_claimed_fields_must_match(skill_factory: SkillFactory, pack_skill: Pack) -> None:
    data = pack_skill(skill_factory(scope="alice"))
    for upload in (
        Upload(data, claimed_name="@alice/other"),
        Upload(data, claimed_version="1.0.1"),
        Upload(data, claimed_integrity=sri_sha512(b"other")),
    ):
        with pytest.raises(ValidationError) as caught:
            run_stages(upload)
        assert caught.value.code == "manifest_mismatch"
        assert caught.value.detail == "stage validate"
    assert (
        run_stages(
            Upload(
                data,
                claimed_name="@alice/pdf",
                claimed_version="1.0.0+x",
                claimed_integrity=sri_sha512(data),
            )
        ).version
        == "1.0.0"
    )


def test_invalid_skill_lists_every_problem(skill_factory: SkillFactory, pack_skill: Pack) -> None:
    folder = skill_factory(scope="alice")
    (folder / "SKILL.md").write_text("---\nname: Bad_Name\nwhatever: 1\n---\nbody\n")
    with pytest.raises(ValidationError) as caught:
        run_stages(Upload(pack_skill(folder)))
    assert caught.value.code == "invalid_skill"
    files = {p.location.file for p in caught.value.problems if p.location}
    assert "SKILL.md" in files
    assert len([p for p in caught.value.problems if p.is_error]) >= 2
    assert any(p.location and p.location.line for p in caught.value.problems)


def test_hostile_archive_is_refused_by_validate() -> None:
    from tests.unit.core.hostile.corpus import EXPECTED_CODES, build_corpus

    corpus = build_corpus()
    name = "traversal_parent"
    with pytest.raises(UnsafeArchiveError) as caught:
        run_stages(Upload(corpus[name]))
    assert caught.value.code == EXPECTED_CODES[name]
    assert caught.value.detail == "stage validate"


def test_install_scripts_are_detected() -> None:
    assert has_install_scripts({"setup.py": b""})
    assert has_install_scripts({"x/package.json": b'{"scripts": {"postinstall": "curl"}}'})
    assert not has_install_scripts({"package.json": b'{"scripts": {"test": "x"}}'})
    assert not has_install_scripts({"package.json": b"[1]"})


def test_forbidden_publish_writes_no_blob(
    registry: Registry, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    make_user(registry, "alice")
    alice = make_user(registry, "alice2")
    publish_service.publish(
        registry,
        Principal(1, "alice", 1, frozenset({"publish"})),
        Upload(pack_skill(skill_factory(scope="alice"))),
    )
    before = list(registry.blobs.keys())
    with pytest.raises(Forbidden) as caught:
        publish_service.publish(
            registry, alice, Upload(pack_skill(skill_factory(scope="alice", version="2.0.0")))
        )
    assert caught.value.code == "scope_forbidden"
    assert list(registry.blobs.keys()) == before


def test_publishing_never_creates_a_scope(
    registry: Registry, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = make_user(registry)
    before = list(registry.blobs.keys())
    for scope in ("tank", "acme"):  # reserved or not: a scope is a user or a created org
        with pytest.raises(Forbidden) as caught:
            publish_service.publish(registry, alice, Upload(pack_skill(skill_factory(scope=scope))))
        assert caught.value.code == "scope_unknown" and f"@{scope}" in caught.value.message
    assert list(registry.blobs.keys()) == before


@pytest.mark.parametrize("fault", ["after_blob", "before_commit"])
def test_crash_between_blob_and_commit_leaves_nothing_visible(
    registry: Registry,
    skill_factory: SkillFactory,
    pack_skill: Pack,
    monkeypatch: pytest.MonkeyPatch,
    fault: str,
) -> None:
    alice = make_user(registry)

    def crash(name: str) -> None:
        if name == fault:
            raise RuntimeError(f"injected fault {name}")

    monkeypatch.setattr(publish_service, "checkpoint", crash)
    with pytest.raises(RuntimeError):
        publish_service.publish(registry, alice, Upload(pack_skill(skill_factory(scope="alice"))))
    with registry.sessions() as session:
        assert session.scalar(select(func.count(SkillVersion.id))) == 0
        assert session.scalar(select(func.count(Skill.id))) == 0
        assert session.scalar(select(func.count(AuditEvent.id))) == 0
    orphans = [key for key, _ in registry.blobs.keys()]  # noqa: SIM118 - a BlobStore method
    assert len(orphans) == 1
    # A fresh blob is protected by the grace period (it may belong to an in-flight publish).
    assert collect_garbage(registry).removed == []
    report = collect_garbage(registry, grace_seconds=0, dry_run=True)
    assert report.removed == orphans and registry.blobs.exists(orphans[0])
    report = collect_garbage(registry, grace_seconds=0)
    assert report.removed == orphans and report.kept == 0
    assert not registry.blobs.exists(orphans[0])


def test_gc_keeps_referenced_blobs(
    registry: Registry, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = make_user(registry)
    publish_service.publish(registry, alice, Upload(pack_skill(skill_factory(scope="alice"))))
    report = collect_garbage(registry, grace_seconds=0)
    assert report.removed == [] and report.kept == 1
