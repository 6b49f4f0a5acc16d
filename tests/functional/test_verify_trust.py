"""``tank verify``'s trust layers end to end: the publisher signature, the registry attestation
and the transparency-log inclusion, re-checked offline from what ``tank install`` kept.

alice publishes a signed and an unsigned skill to a real registry subprocess (SQLite, its own
signing key); the real CLI installs them; then the evidence install kept in the cache, or the
pins in the state folder, are tampered with the way an attacker with write access to the
user's cache would, and ``tank verify`` must fail (exit 14) naming each.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from tank.cli.exit_codes import ExitCode
from tank.client.cache import ContentCache
from tank.client.evidence import evidence_file
from tank.core.signing import generate_key, load_signer
from tests.conftest import ClientWorld, SkillFactory
from tests.functional.test_publisher_signing import lock_entry, login, make_key

Signed = tuple[ClientWorld, Path, str]
SIGNED, PLAIN = "@alice/pdf@1.0.0", "@alice/plain@1.0.0"


@pytest.fixture
def signed(client_world: ClientWorld, skill_factory: SkillFactory) -> Signed:
    """@alice/pdf signed by alice's registered key, @alice/plain unsigned, both installed."""
    world = client_world
    login(world, "alice")
    keyid = make_key(world)
    assert world.tank("publish", str(skill_factory(scope="alice"))).returncode == 0
    plain = skill_factory(scope="alice", name="plain")
    assert world.tank("publish", str(plain), "--no-sign").returncode == 0
    project = world.project(skills={"@alice/pdf": "^1.0.0", "@alice/plain": "^1.0.0"})
    done = world.tank("install", cwd=project)
    assert done.returncode == ExitCode.OK, done.stderr
    return world, project, keyid


def verify(world: ClientWorld, project: Path, *args: str) -> tuple[int, dict[str, Any]]:
    done = world.tank("verify", "--json", *args, cwd=project)
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def checks(report: dict[str, Any], key: str) -> dict[str, Any]:
    found = {f"{s['name']}@{s['version']}": s for s in report["skills"]}
    return found[key]["checks"]  # type: ignore[no-any-return]


def codes(report: dict[str, Any], key: str, layer: str) -> list[str]:
    return [f["code"] for f in checks(report, key)[layer]["findings"]]


def kept(world: ClientWorld, project: Path, key: str) -> Path:
    integrity = lock_entry(project, key)["integrity"]
    return evidence_file(ContentCache(world.root / "cache"), integrity)


def edit(path: Path, change: Any) -> None:
    doc = json.loads(path.read_bytes())
    change(doc)
    path.write_text(json.dumps(doc))


def test_a_clean_install_passes_every_layer(signed: Signed) -> None:
    world, project, keyid = signed
    code, report = verify(world, project)
    assert code == ExitCode.OK, report
    pdf, plain = checks(report, SIGNED), checks(report, PLAIN)
    assert {layer: c["status"] for layer, c in pdf.items()} == dict.fromkeys(
        ("integrity", "files", "mirrors", "signature", "attestation", "log"), "ok"
    )
    assert pdf["signature"]["note"] == f"signed by {keyid[:16]}"
    assert pdf["log"]["note"].startswith(f"leaf {lock_entry(project, SIGNED)['log_index']} of ")
    # unsigned, without audit.require_signing: not applicable, not a failure
    assert plain["signature"]["status"] == "skipped"
    assert "not signed" in plain["signature"]["note"]
    assert (plain["attestation"]["status"], plain["log"]["status"]) == ("ok", "ok")
    # what install kept: the envelope, its key, the log proof and head, the attestation
    evidence = json.loads(kept(world, project, SIGNED).read_bytes())
    assert evidence["signature"]["key"]["keyval"]["public"]
    assert evidence["log"]["index"] == lock_entry(project, SIGNED)["log_index"]
    assert len(evidence["attestations"]) == 1
    text = world.tank("verify", cwd=project)
    assert text.returncode == ExitCode.OK and "2 skills verified: 2 ok." in text.stdout


def test_a_tampered_cached_envelope_fails(signed: Signed) -> None:
    world, project, _ = signed

    def flip_signature(doc: dict[str, Any]) -> None:
        sig = doc["signature"]["envelope"]["signatures"][0]
        sig["sig"] = ("A" if sig["sig"][0] != "A" else "B") + sig["sig"][1:]

    edit(kept(world, project, SIGNED), flip_signature)
    code, report = verify(world, project)
    assert code == ExitCode.VERIFY
    assert codes(report, SIGNED, "signature") == ["signature_unknown_key"]
    finding = checks(report, SIGNED)["signature"]["findings"][0]
    assert finding["message"].startswith(
        f"{SIGNED}: the kept publisher signature does not verify with the key skills.lock records"
    )
    assert finding["path"] == str(kept(world, project, SIGNED))
    assert checks(report, PLAIN)["signature"]["status"] == "skipped"  # only the one tampered
    text = world.tank("verify", cwd=project)
    assert text.returncode == ExitCode.VERIFY
    assert f"  signature: {SIGNED}: the kept publisher signature does not verify" in text.stdout


def test_an_envelope_and_key_swapped_for_an_attackers_fail(signed: Signed) -> None:
    """A cache writer re-signs the same Statement with their own key and keeps that key:
    skills.lock's fingerprint (the key's own digest) gives it away."""
    world, project, _ = signed
    pem, public = generate_key()
    attacker = load_signer(pem)
    path = kept(world, project, SIGNED)
    envelope = json.loads(path.read_bytes())["signature"]["envelope"]
    payload = json.loads(base64.b64decode(envelope["payload"]))  # the same Statement

    def swap(doc: dict[str, Any]) -> None:
        doc["signature"] = {"envelope": attacker.sign_statement(payload), "key": public.as_dict()}

    edit(path, swap)
    code, report = verify(world, project)
    assert code == ExitCode.VERIFY
    assert codes(report, SIGNED, "signature") == ["signature_signer_changed"]


def test_an_attestation_signed_by_an_unknown_key_fails(signed: Signed) -> None:
    world, project, _ = signed
    pem, _public = generate_key()
    forger = load_signer(pem)

    def forge(doc: dict[str, Any]) -> None:
        statement = json.loads(base64.b64decode(doc["attestations"][0]["payload"]))
        statement["predicate"]["verdict"] = "pass"
        doc["attestations"][0] = forger.sign_statement(statement)

    edit(kept(world, project, PLAIN), forge)
    code, report = verify(world, project)
    assert code == ExitCode.VERIFY
    assert codes(report, PLAIN, "attestation") == ["attestation_unknown_key"]
    message = checks(report, PLAIN)["attestation"]["findings"][0]["message"]
    assert "not signed by a registry key you pinned" in message
    assert checks(report, SIGNED)["attestation"]["status"] == "ok"


def test_an_inclusion_proof_that_does_not_match_the_pinned_head_fails(
    signed: Signed, skill_factory: SkillFactory
) -> None:
    world, project, _ = signed
    path = kept(world, project, SIGNED)
    good = path.read_bytes()

    def flip_proof(doc: dict[str, Any]) -> None:
        proof = doc["log"]["proof"]
        assert proof, "two leaves at least: the proof is not empty"
        proof[0] = ("0" if proof[0][0] != "0" else "1") + proof[0][1:]

    edit(path, flip_proof)
    code, report = verify(world, project)
    assert code == ExitCode.VERIFY
    assert codes(report, SIGNED, "log") == ["log_not_included"]

    # The head moves on (another project installs a newer publish): the proof kept against
    # the older head still verifies, because the pins remember the heads they accepted.
    path.write_bytes(good)
    assert world.tank("publish", str(skill_factory(scope="alice", name="more"))).returncode == 0
    other = world.project("other", {"@alice/more": "^1.0.0"})
    assert world.tank("install", cwd=other).returncode == ExitCode.OK
    code, report = verify(world, project)
    assert code == ExitCode.OK, report
    # A head this client never pinned (its history wiped) is refused.
    pins = list((world.root / "config" / "state" / "transparency").glob("*.json"))
    assert len(pins) == 1
    edit(pins[0], lambda doc: doc.update(seen=[]))
    code, report = verify(world, project)
    assert code == ExitCode.VERIFY
    assert codes(report, SIGNED, "log") == ["log_head_unknown"]


def test_require_signing_makes_an_unsigned_skill_a_failure(signed: Signed) -> None:
    world, project, _ = signed
    manifest = json.loads((project / "skills.json").read_text())
    manifest["audit"] = {"require_signing": True}
    (project / "skills.json").write_text(json.dumps(manifest))
    code, report = verify(world, project)
    assert code == ExitCode.VERIFY
    assert codes(report, PLAIN, "signature") == ["unsigned_refused"]
    assert checks(report, SIGNED)["signature"]["status"] == "ok"


def test_missing_evidence_is_a_finding_and_repair_fetches_it(signed: Signed) -> None:
    world, project, _ = signed
    kept(world, project, SIGNED).unlink()
    code, report = verify(world, project)
    assert code == ExitCode.VERIFY
    for layer in ("signature", "attestation", "log"):
        assert codes(report, SIGNED, layer) == ["evidence_missing"], layer
    code, report = verify(world, project, "--repair")
    assert code == ExitCode.OK, report
    assert kept(world, project, SIGNED).is_file()


def test_install_refuses_an_attestation_the_registry_key_did_not_sign(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    """Someone with the registry's database but not its key swaps a version's attestation:
    the next install (which verifies attestations before linking) refuses it, exit 6."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from tank.server.db.engine import make_engine
    from tank.server.db.models import VersionAttestation

    world = client_world
    login(world, "alice")
    assert world.tank("publish", str(skill_factory(scope="alice")), "--no-sign").returncode == 0
    project = world.project(skills={"@alice/pdf": "^1.0.0"})
    assert world.tank("install", cwd=project).returncode == ExitCode.OK
    pem, _ = generate_key()
    forger = load_signer(pem)
    engine = make_engine(world.server.db_url)
    try:
        with Session(engine) as session:
            row = session.scalars(select(VersionAttestation)).one()
            statement = json.loads(base64.b64decode(row.envelope["payload"]))
            row.envelope = forger.sign_statement(statement)
            session.commit()
    finally:
        engine.dispose()
    again = world.project("again", {"@alice/pdf": "^1.0.0"})
    done = world.tank("install", cwd=again)
    assert done.returncode == ExitCode.INTEGRITY, done.stderr
    assert "not signed by a registry key you pinned" in done.stderr
    assert not (again / ".agents").exists()
