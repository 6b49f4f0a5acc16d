"""Sigstore bundles at publish, end to end: a real registry process (SQLite and PostgreSQL)
trusting a private Sigstore the test makes (tests/sigstore_infra.py), the real CLI, the
`sigstore` package's real verifier. A bundle is accepted only when it verifies against the
configured trusted root and matches a trusted publisher of the skill; everything else is
refused at the sign stage and nothing is stored."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tank.cli.exit_codes import ExitCode
from tank.core.signing import digest_b64, parse_public_key, verify_envelope
from tank.server.db.engine import make_engine
from tank.server.db.models import LogLeaf, SkillVersion
from tests.conftest import CLIENT_PASSWORD, ClientWorld, Server, SkillFactory
from tests.sigstore_infra import GITHUB_ISSUER, Identity, Sigstore, statement_for

Pack = Callable[[Path], bytes]
SIGNER = f"sigstore:{GITHUB_ISSUER}#acme/pdf-tools@release.yml"


@dataclass
class World:
    server: Server
    alice: httpx.Client
    sigstore: Sigstore
    root: Path


@pytest.fixture
def world(server_factory: Callable[..., Server], tmp_path: Path) -> World:
    sigstore = Sigstore()
    root = sigstore.write_trusted_root(tmp_path / "trusted_root.json")
    server = server_factory(
        env={
            "TANK_REGISTRY_SIGSTORE_TRUSTED_ROOT": str(root),
            "TANK_REGISTRY_RATE_LIMIT_WRITES_PER_TOKEN": "0",
            "TANK_REGISTRY_RATE_LIMIT_WRITES_PER_IP": "0",
        }
    )
    server.create_user("alice", CLIENT_PASSWORD)
    alice = server.client(server.token("alice", CLIENT_PASSWORD))
    registered = alice.post(
        "/v1/trusted-publishers",
        json={
            "target": "@alice/pdf",
            "issuer": GITHUB_ISSUER,
            "repository": "acme/pdf-tools",
            "workflow": "release.yml",
        },
    )
    assert registered.status_code == 201, registered.text
    return World(server, alice, sigstore, root)


def publish(client: httpx.Client, data: bytes, **fields: str) -> httpx.Response:
    return client.post("/v1/skills", files={"tarball": ("skill.tgz", data)}, data=fields)


def bundle_text(bundle: dict[str, Any]) -> str:
    return json.dumps(bundle)


def test_a_valid_bundle_is_verified_stored_scored_attested_and_logged(
    world: World, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    data = pack_skill(skill_factory(scope="alice"))
    bundle = world.sigstore.sign_artifact(data)
    answer = publish(world.alice, data, sigstore_bundle=bundle_text(bundle))
    assert answer.status_code == 201, answer.text
    version = answer.json()
    assert version["signer"] == SIGNER and version["signature"] is None
    sigstore = version["sigstore"]
    assert sigstore["bundle"] == bundle and sigstore["digest"] == digest_b64(bundle)
    assert sigstore["identity"]["repository"] == "acme/pdf-tools"
    assert sigstore["identity"]["ref"] == "refs/heads/main"
    signing = version["score_breakdown"]["code_signing"]
    assert signing["points"] == 1 and "Sigstore" in signing["note"]

    reader = world.server.client()
    summary = reader.get("/v1/skills/@alice/pdf").json()["versions"]["1.0.0"]
    assert summary["signer"] == SIGNER and "bundle" not in summary["sigstore"]
    status = reader.post("/v1/status", json={"versions": ["@alice/pdf@1.0.0"]}).json()
    assert status["versions"]["@alice/pdf@1.0.0"]["sigstore"]["digest"] == digest_b64(bundle)
    checked = reader.post(
        "/v1/verify",
        json={
            "items": [{"name": "@alice/pdf", "version": "1.0.0", "integrity": version["integrity"]}]
        },
    ).json()
    [item] = checked["results"]
    assert item["signature"]["kind"] == "sigstore" and item["signature"]["identity"] == SIGNER

    # The registry's signed attestation names the verified identity and the bundle's digest.
    keys = [parse_public_key(k["key"]) for k in reader.get("/v1/registry/keys").json()["keys"]]
    [attestation] = reader.get("/v1/skills/@alice/pdf/1.0.0/attestations").json()["attestations"]
    predicate = verify_envelope(attestation["envelope"], keys).statement["predicate"]
    assert predicate["signature"]["kind"] == "sigstore"
    assert predicate["signature"]["fingerprint"] == SIGNER
    assert predicate["signature"]["sigstore"]["bundle_digest"] == digest_b64(bundle)
    assert predicate["signature"]["sigstore"]["identity"]["log_index"] == 3

    # The transparency log's leaf records the Sigstore signer.
    engine = make_engine(world.server.db_url)
    try:
        with Session(engine) as session:
            leaf = session.scalars(select(LogLeaf).where(LogLeaf.name == "@alice/pdf")).one()
            assert leaf.signer == SIGNER
    finally:
        engine.dispose()


def test_a_dsse_bundle_whose_statement_names_the_tarball_is_accepted(
    world: World, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    data = pack_skill(skill_factory(scope="alice"))
    bundle = world.sigstore.sign_statement(statement_for(data))
    answer = publish(world.alice, data, sigstore_bundle=bundle_text(bundle))
    assert answer.status_code == 201, answer.text
    identity = answer.json()["sigstore"]["identity"]
    assert identity["kind"] == "dsse"
    assert identity["predicate_type"] == "https://slsa.dev/provenance/v1"


def _tampered_entry(sigstore: Sigstore, data: bytes) -> dict[str, Any]:
    bundle = sigstore.sign_artifact(data)
    entry = bundle["verificationMaterial"]["tlogEntries"][0]
    body = json.loads(base64.b64decode(entry["canonicalizedBody"]))
    body["spec"]["data"]["hash"]["value"] = "0" * 64
    entry["canonicalizedBody"] = base64.b64encode(json.dumps(body).encode()).decode()
    return bundle


REFUSALS: dict[str, tuple[Callable[[Sigstore, bytes], dict[str, Any]], str]] = {
    "another-tarball": (lambda s, d: s.sign_artifact(b"other bytes"), "sigstore_subject_mismatch"),
    "statement-for-another-tarball": (
        lambda s, d: s.sign_statement(statement_for(b"other bytes")),
        "sigstore_subject_mismatch",
    ),
    "wrong-repository": (
        lambda s, d: s.sign_artifact(d, Identity(repository="mallory/pdf-tools")),
        "sigstore_identity_mismatch",
    ),
    "wrong-workflow": (
        lambda s, d: s.sign_artifact(d, Identity(workflow="nightly.yml")),
        "sigstore_identity_mismatch",
    ),
    "wrong-issuer": (
        lambda s, d: s.sign_artifact(d, Identity(issuer="https://gitlab.com")),
        "sigstore_identity_mismatch",
    ),
    "ca-not-in-trusted-root": (
        lambda s, d: Sigstore().sign_artifact(d),
        "sigstore_verification_failed",
    ),
    "tampered-log-entry": (_tampered_entry, "sigstore_verification_failed"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_bundle_that_does_not_verify_or_match_is_refused_and_nothing_stored(
    world: World, skill_factory: SkillFactory, pack_skill: Pack, case: str
) -> None:
    data = pack_skill(skill_factory(scope="alice"))
    make, code = REFUSALS[case]
    answer = publish(world.alice, data, sigstore_bundle=bundle_text(make(world.sigstore, data)))
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == code and error["detail"].startswith("stage sign")
    assert "Sigstore bundle of @alice/pdf@1.0.0 was refused" in error["message"]
    assert error["hint"]
    assert world.server.client().get("/v1/skills/@alice/pdf/1.0.0").status_code == 404


def test_a_skill_without_trusted_publishers_refuses_any_bundle(
    world: World, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    data = pack_skill(skill_factory(scope="alice", name="docs"))
    answer = publish(
        world.alice, data, sigstore_bundle=bundle_text(world.sigstore.sign_artifact(data))
    )
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "sigstore_no_policy"
    assert "tank trusted-publisher add" in error["hint"]


def test_a_key_signature_and_a_bundle_together_are_refused(
    world: World, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    data = pack_skill(skill_factory(scope="alice"))
    bundle = bundle_text(world.sigstore.sign_artifact(data))
    answer = publish(world.alice, data, sigstore_bundle=bundle, signature='{"payload": ""}')
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "signature_ambiguous"


def test_a_registry_with_the_default_root_refuses_private_sigstore_bundles(
    server_factory: Callable[..., Server], skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    """Without the setting, the production root shipped with sigstore is the only trust."""
    server = server_factory()
    server.create_user("alice", CLIENT_PASSWORD)
    alice = server.client(server.token("alice", CLIENT_PASSWORD))
    body = {
        "target": "@alice",
        "issuer": GITHUB_ISSUER,
        "repository": "acme/pdf-tools",
        "workflow": "release.yml",
    }
    assert alice.post("/v1/trusted-publishers", json=body).status_code == 201
    data = pack_skill(skill_factory(scope="alice"))
    answer = publish(alice, data, sigstore_bundle=bundle_text(Sigstore().sign_artifact(data)))
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["code"] == "sigstore_verification_failed"


def test_the_cli_publishes_a_bundle_and_install_locks_the_sigstore_identity(
    world: World, skill_factory: SkillFactory, pack_skill: Pack, tmp_path: Path
) -> None:
    client = ClientWorld(
        world.server,
        tmp_path / "client",
        {
            "TANK_CONFIG_DIR": str(tmp_path / "client" / "config"),
            "TANK_CACHE_DIR": str(tmp_path / "client" / "cache"),
            "TANK_HOME": str(tmp_path / "client" / "home"),
            "TANK_NO_KEYRING": "1",
            "TANK_REGISTRY": world.server.url,
            "CI": "",
            "TANK_TOKEN": world.server.token("alice", CLIENT_PASSWORD),
            "NO_COLOR": "1",
        },
    )
    (tmp_path / "client" / "home").mkdir(parents=True)
    folder = skill_factory(scope="alice")
    data = pack_skill(folder)  # what CI packs and signs: the bytes `tank publish` uploads
    other = tmp_path / "other.sigstore.json"
    other.write_text(bundle_text(world.sigstore.sign_artifact(b"other bytes")))
    refused = client.tank("publish", str(folder), "--sigstore-bundle", str(other))
    assert refused.returncode == ExitCode.USAGE, refused.stderr
    assert "not the tarball of @alice/pdf@1.0.0" in refused.stderr

    good = tmp_path / "skill.sigstore.json"
    good.write_text(bundle_text(world.sigstore.sign_artifact(data)))
    both = client.tank("publish", str(folder), "--sigstore-bundle", str(good), "--sign")
    assert both.returncode == ExitCode.USAGE and "exclude each other" in both.stderr
    done = client.tank("publish", str(folder), "--sigstore-bundle", str(good), "--json")
    assert done.returncode == ExitCode.OK, done.stderr
    assert json.loads(done.stdout)["result"]["signer"] == SIGNER

    project = client.project(skills={"@alice/pdf": "^1.0.0"})
    manifest = json.loads((project / "skills.json").read_text())
    manifest["audit"] = {"require_signing": True}
    (project / "skills.json").write_text(json.dumps(manifest))
    installed = client.tank("install", cwd=project)
    assert installed.returncode == ExitCode.OK, installed.stderr
    entry = json.loads((project / "skills.lock").read_text())["skills"]["@alice/pdf@1.0.0"]
    assert entry["signer"] == SIGNER
    assert entry["signature"] == digest_b64(json.loads(good.read_text()))
    # `tank verify`, offline: the registry's attestation (by its pinned key) vouches for the
    # Sigstore signer and bundle skills.lock records; require_signing is met.
    verified = client.tank("verify", "--json", cwd=project)
    assert verified.returncode == ExitCode.OK, verified.stdout + verified.stderr
    checks = json.loads(verified.stdout)["skills"][0]["checks"]
    assert checks["signature"]["status"] == "ok"
    assert checks["signature"]["note"].startswith("Sigstore bundle, verified by the registry")
    assert (checks["attestation"]["status"], checks["log"]["status"]) == ("ok", "ok")

    # A registry that later names another signer for the locked version is refused.
    engine = make_engine(world.server.db_url)
    try:
        with Session(engine) as session:
            row = session.scalars(select(SkillVersion)).one()
            stored = dict(row.sigstore or {})
            stored["signer"] = f"sigstore:{GITHUB_ISSUER}#mallory/x@release.yml"
            session.execute(
                update(SkillVersion).where(SkillVersion.id == row.id).values(sigstore=stored)
            )
            session.commit()
    finally:
        engine.dispose()
    (project / ".agents").rename(project / "moved-away")  # force a real install
    again = client.tank("install", "--frozen", cwd=project)
    assert again.returncode == ExitCode.INTEGRITY, again.stderr
    assert "mallory/x" in again.stderr


def test_a_rescan_takes_the_point_back_when_the_trusted_publisher_is_removed(
    world: World, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    from tank.server.context import Registry
    from tank.server.services.rescan import rescan
    from tank.server.settings import load_settings

    data = pack_skill(skill_factory(scope="alice"))
    bundle = bundle_text(world.sigstore.sign_artifact(data))
    assert publish(world.alice, data, sigstore_bundle=bundle).status_code == 201
    reg = Registry.from_settings(
        load_settings(
            None,
            database_url=world.server.db_url,
            storage=world.server.storage,
            sigstore_trusted_root=world.root,
        )
    )
    try:
        assert rescan(reg, "@alice/pdf").changed == []  # still verifies: nothing changes
        [registered] = world.alice.get("/v1/trusted-publishers").json()["trusted_publishers"]
        assert world.alice.delete(f"/v1/trusted-publishers/{registered['id']}").status_code in (
            200,
            204,
        )
        report = rescan(reg, "@alice/pdf")
        assert report.errors == [] and len(report.changed) == 1
    finally:
        reg.engine.dispose()
    version = world.server.client().get("/v1/skills/@alice/pdf/1.0.0").json()
    signing = version["score_breakdown"]["code_signing"]
    assert signing["points"] == 0 and "sigstore_no_policy" not in signing["note"]
    assert "no trusted publisher" in signing["note"]
