"""Publisher signing end to end: `tank keys`, `tank publish` signing, the registry's check, and
`tank install` verifying, on a real registry process and the real CLI; every way to break it.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tank.cli.exit_codes import ExitCode
from tank.core.integrity import sri_sha512
from tank.core.publisher_sig import sign_publish
from tank.core.signing import PublicKey, digest_b64, generate_key, load_signer
from tests.conftest import ClientWorld, SkillFactory

Pack = Callable[[Path], bytes]


def login(world: ClientWorld, name: str) -> str:
    token = world.publisher(name)
    done = world.tank("login", "--token-stdin", input=token)
    assert done.returncode == ExitCode.OK, done.stderr
    return token


def make_key(world: ClientWorld, name: str = "laptop") -> str:
    done = world.tank("keys", "generate", "--name", name, "--json")
    assert done.returncode == ExitCode.OK, done.stderr
    keyid: str = json.loads(done.stdout)["keyid"]
    assert world.tank("keys", "add").returncode == ExitCode.OK
    return keyid


def install(world: ClientWorld, project: Path, *args: str) -> Any:
    return world.tank("install", *args, cwd=project)


def lock_entry(project: Path, key: str) -> dict[str, Any]:
    entry: dict[str, Any] = json.loads((project / "skills.lock").read_text())["skills"][key]
    return entry


def edit_version(world: ClientWorld, name: str, version: str, **changes: object) -> None:
    """Change a version row in the registry's real database (an attacker with database
    access, say), and rebuild the skill's document as the registry does."""
    from tank.server.db.engine import make_engine
    from tank.server.db.models import Skill, SkillVersion
    from tank.server.services.skills import refresh

    engine = make_engine(world.server.db_url)
    try:
        with Session(engine) as session:
            skill = session.scalars(select(Skill).where(Skill.name == name)).one()
            row = session.scalars(
                select(SkillVersion).where(
                    SkillVersion.skill_id == skill.id, SkillVersion.version == version
                )
            ).one()
            for key, value in changes.items():
                setattr(row, key, value)
            session.flush()
            refresh(session, skill)
            session.commit()
    finally:
        engine.dispose()


def api_key(world: ClientWorld, token: str) -> tuple[Any, PublicKey]:
    """A key made here and registered over the API for ``token``'s account."""
    pem, public = generate_key()
    answer = world.server.client(token).post(
        "/v1/keys", json={"key": json.dumps(public.as_dict()), "name": "api"}
    )
    assert answer.status_code == 201, answer.text
    return load_signer(pem), public


def test_a_valid_signature_is_verified_scored_locked_and_installed(
    client_world: ClientWorld, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    world = client_world
    login(world, "alice")
    keyid = make_key(world)
    private = world.root / "config" / "keys" / f"{keyid}.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600  # no keyring in tests: a 0600 file
    assert stat.S_IMODE(private.parent.stat().st_mode) == 0o700
    listed = json.loads(world.tank("keys", "list", "--json").stdout)["keys"]
    assert [(k["keyid"], k["local"], k["registered"], k["revoked"]) for k in listed] == [
        (keyid, True, True, False)
    ]

    folder = skill_factory(scope="alice")
    published = world.tank("publish", str(folder), "--json")
    assert published.returncode == ExitCode.OK, published.stderr
    result = json.loads(published.stdout)["result"]
    assert result["signer"] == keyid and result["signature"]["payloadType"]
    assert result["score_breakdown"]["code_signing"]["points"] == 1

    unsigned = skill_factory(scope="alice", name="plain")
    plain = json.loads(world.tank("publish", str(unsigned), "--no-sign", "--json").stdout)
    assert plain["result"]["signer"] is None
    assert plain["result"]["score_breakdown"]["code_signing"]["points"] == 0

    project = world.project(skills={"@alice/pdf": "^1.0.0", "@alice/plain": "^1.0.0"})
    done = install(world, project)
    assert done.returncode == ExitCode.OK, done.stderr
    entry = lock_entry(project, "@alice/pdf@1.0.0")
    assert entry["signer"] == keyid
    assert entry["signature"] == digest_b64(result["signature"])
    assert entry["integrity"] == sri_sha512(pack_skill(folder))
    plain_entry = lock_entry(project, "@alice/plain@1.0.0")
    assert plain_entry["signature"] is None and "signer" not in plain_entry
    # POST /v1/verify reports the signature the registry verified; unsigned reports none
    items = [
        {"name": "@alice/pdf", "version": "1.0.0", "integrity": entry["integrity"]},
        {"name": "@alice/plain", "version": "1.0.0", "integrity": plain_entry["integrity"]},
    ]
    answer = world.server.client().post("/v1/verify", json={"items": items}).json()
    signed_item, plain_item = answer["results"]
    assert signed_item["signature"] == {
        "verified": True,
        "kind": "ed25519",
        "fingerprint": keyid,
        "identity": None,
    }
    assert plain_item["signature"] is None
    lock_bytes = (project / "skills.lock").read_bytes()
    # deterministic: a fresh install elsewhere writes the same bytes
    again = world.project("again", skills={"@alice/pdf": "^1.0.0", "@alice/plain": "^1.0.0"})
    assert install(world, again).returncode == ExitCode.OK
    assert (again / "skills.lock").read_bytes() == lock_bytes


def test_a_signature_by_a_revoked_key_is_refused_at_publish_and_install(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    world = client_world
    token = login(world, "alice")
    keyid = make_key(world)
    assert world.tank("publish", str(skill_factory(scope="alice"))).returncode == ExitCode.OK
    project = world.project(skills={"@alice/pdf": "^1.0.0"})
    assert install(world, project).returncode == ExitCode.OK

    revoked = world.tank("keys", "revoke", keyid[:12])
    assert revoked.returncode == ExitCode.OK, revoked.stderr
    listed = world.tank("keys", "list").stdout
    assert keyid in listed and "REVOKED" in listed
    public = world.server.client().get("/v1/users/alice/keys").json()["keys"]
    assert [(k["keyid"], k["revoked"]) for k in public] == [(keyid, True)]

    # a fresh clone of the project: its lockfile pins the version the revoked key signed
    clone = world.project("clone")
    (clone / "skills.lock").write_bytes((project / "skills.lock").read_bytes())
    (clone / "skills.json").write_bytes((project / "skills.json").read_bytes())
    done = install(world, clone, "--frozen")
    assert done.returncode == ExitCode.INTEGRITY, done.stdout + done.stderr
    assert f"signed with the key {keyid[:16]}, which alice revoked" in done.stderr
    assert not (clone / ".agents" / "skills" / "pdf").exists()

    # publishing with it is refused, clearly, and nothing is stored
    second = skill_factory(scope="alice", version="1.0.1")
    refused = world.tank("publish", str(second))
    assert refused.returncode == ExitCode.REGISTRY, refused.stderr
    assert "publisher signature of @alice/pdf@1.0.1 was refused" in refused.stderr
    assert f"signed with the key {keyid[:16]}, which you revoked" in refused.stderr
    assert world.server.client(token).get("/v1/skills/@alice/pdf/1.0.1").status_code == 404
    # a revoked key cannot be registered again
    again = world.tank("keys", "add")
    assert again.returncode == ExitCode.REGISTRY and "revoked" in again.stderr


def test_a_signature_by_another_accounts_key_is_refused(
    client_world: ClientWorld, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    world = client_world
    alice = login(world, "alice")
    mallory = world.publisher("mallory")
    mallory_signer, _ = api_key(world, mallory)
    # the key belongs to mallory: alice cannot register it too
    taken = world.server.client(alice).post(
        "/v1/keys", json={"key": json.dumps(mallory_signer.public.as_dict())}
    )
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "key_taken"

    make_key(world)  # alice has a key of her own: mallory's still does not count
    data = pack_skill(skill_factory(scope="alice"))
    envelope = sign_publish(mallory_signer, "@alice/pdf", "1.0.0", sri_sha512(data))
    answer = world.server.client(alice).post(
        "/v1/skills",
        files={"tarball": ("a.tgz", data, "application/gzip")},
        data={"signature": json.dumps(envelope)},
    )
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["detail"] == "stage sign"
    assert "not by any of the publisher's registered, unrevoked keys" in error["message"]

    # the registry (or its database) claiming mallory's signature for alice's version
    assert world.tank("publish", str(skill_factory(scope="alice"))).returncode == ExitCode.OK
    from tank.core.signing import canonical_json

    edit_version(
        world,
        "@alice/pdf",
        "1.0.0",
        signature=canonical_json(envelope).decode(),
        signer_keyid=mallory_signer.public.keyid,
    )
    project = world.project(skills={"@alice/pdf": "^1.0.0"})
    done = install(world, project)
    assert done.returncode == ExitCode.INTEGRITY, done.stdout + done.stderr
    assert "not by any of the publisher's registered, unrevoked keys" in done.stderr
    assert not (project / "skills.lock").exists()


def test_a_tarball_tampered_after_signing_is_refused(
    client_world: ClientWorld, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    world = client_world
    alice = login(world, "alice")
    signer, _ = api_key(world, alice)
    signed_bytes = pack_skill(skill_factory(scope="alice"))
    tampered = pack_skill(
        skill_factory(scope="alice", files={"scripts/extra.py": "print('added later')\n"})
    )
    envelope = sign_publish(signer, "@alice/pdf", "1.0.0", sri_sha512(signed_bytes))
    # the registry hashes what it received: a signature over other bytes is refused
    answer = world.server.client(alice).post(
        "/v1/skills",
        files={"tarball": ("a.tgz", tampered, "application/gzip")},
        data={"signature": json.dumps(envelope)},
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["code"] == "signature_subject_mismatch"

    # published signed, then the stored bytes and their recorded digest changed behind
    # the registry's back: the signature still names the original bytes
    answer = world.server.client(alice).post(
        "/v1/skills",
        files={"tarball": ("a.tgz", signed_bytes, "application/gzip")},
        data={"signature": json.dumps(envelope)},
    )
    assert answer.status_code == 201, answer.text
    from tank.server.storage.local import LocalBlobStore

    store = LocalBlobStore(world.server.storage)
    key = store.put(tampered)
    edit_version(world, "@alice/pdf", "1.0.0", integrity=sri_sha512(tampered), blob_key=key)
    project = world.project(skills={"@alice/pdf": "^1.0.0"})
    done = install(world, project)
    assert done.returncode == ExitCode.INTEGRITY, done.stdout + done.stderr
    assert "signature is over other bytes" in done.stderr
    assert not (project / ".agents" / "skills" / "pdf").exists()


def test_a_lockfile_pointing_at_a_re_signed_different_tarball_is_refused(
    client_world: ClientWorld, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    world = client_world
    login(world, "alice")
    make_key(world)
    assert world.tank("publish", str(skill_factory(scope="alice"))).returncode == ExitCode.OK
    project = world.project(skills={"@alice/pdf": "^1.0.0"})
    assert install(world, project).returncode == ExitCode.OK

    # mallory makes other bytes for @alice/pdf@1.0.0, signs them with her registered key,
    # edits skills.lock to pin them, and gets them into the cache (a shared CI cache, say)
    mallory = world.publisher("mallory")
    signer, public = api_key(world, mallory)
    evil = pack_skill(skill_factory(scope="alice", files={"scripts/x.py": "print('evil')\n"}))
    integrity = sri_sha512(evil)
    envelope = sign_publish(signer, "@alice/pdf", "1.0.0", integrity)
    from tank.client.cache import ContentCache

    ContentCache(world.root / "cache").store_tarball(integrity, evil)
    lock = json.loads((project / "skills.lock").read_text())
    entry = lock["skills"]["@alice/pdf@1.0.0"]
    entry.update(integrity=integrity, signer=public.keyid, signature=digest_b64(envelope))
    clone = world.project("clone")
    (clone / "skills.json").write_bytes((project / "skills.json").read_bytes())
    (clone / "skills.lock").write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n")
    done = install(world, clone, "--frozen")
    assert done.returncode == ExitCode.INTEGRITY, done.stdout + done.stderr
    assert "@alice/pdf@1.0.0" in done.stderr
    assert not (clone / ".agents" / "skills" / "pdf").exists()

    # the same with only the signer changed: the registry's signature is by another key
    entry = json.loads((project / "skills.lock").read_text())
    entry["skills"]["@alice/pdf@1.0.0"]["signer"] = public.keyid
    (clone / "skills.lock").write_text(json.dumps(entry, indent=2, sort_keys=True) + "\n")
    done = install(world, clone, "--frozen")
    assert done.returncode == ExitCode.INTEGRITY, done.stdout + done.stderr
    assert "skills.lock says the key" in done.stderr


def test_require_signing_refuses_unsigned_skills_on_every_install_path(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    world = client_world
    login(world, "alice")
    published = world.tank("publish", str(skill_factory(scope="alice")))  # no key yet: unsigned
    assert published.returncode == ExitCode.OK, published.stderr
    project = world.project()
    manifest = json.loads((project / "skills.json").read_text())
    manifest["audit"] = {"require_signing": True}
    (project / "skills.json").write_text(json.dumps(manifest, indent=2) + "\n")

    added = install(world, project, "@alice/pdf")
    assert added.returncode == ExitCode.AUDIT, added.stdout + added.stderr
    assert "audit.require_signing is true and 1 skill(s) are not signed: @alice/pdf@1.0.0" in (
        added.stderr
    )
    assert "hint:" in added.stderr and not (project / ".agents").exists()

    make_key(world)
    signed = world.tank("publish", str(skill_factory(scope="alice", version="1.0.1")))
    assert signed.returncode == ExitCode.OK, signed.stderr
    done = install(world, project, "@alice/pdf@1.0.1", "--refresh")
    assert done.returncode == ExitCode.OK, done.stdout + done.stderr
    assert lock_entry(project, "@alice/pdf@1.0.1")["signer"]
    # a lockfile pinning the unsigned version is refused too (frozen, from the lockfile)
    lock = json.loads((project / "skills.lock").read_text())
    entry = lock["skills"].pop("@alice/pdf@1.0.1")
    entry.pop("signer")
    entry["signature"] = None
    document = world.server.client().get("/v1/skills/@alice/pdf").json()
    entry["integrity"] = document["versions"]["1.0.0"]["integrity"]
    entry["resolved"] = "/v1/skills/@alice/pdf/1.0.0/tarball"
    lock["skills"]["@alice/pdf@1.0.0"] = entry
    manifest = json.loads((project / "skills.json").read_text())
    manifest["skills"]["@alice/pdf"] = "1.0.0"
    clone = world.project("clone")
    (clone / "skills.json").write_text(json.dumps(manifest, indent=2) + "\n")
    (clone / "skills.lock").write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n")
    frozen = install(world, clone, "--frozen")
    assert frozen.returncode == ExitCode.AUDIT, frozen.stdout + frozen.stderr
    assert "not signed: @alice/pdf@1.0.0" in frozen.stderr
