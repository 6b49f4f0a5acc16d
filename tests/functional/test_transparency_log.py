"""The transparency log end to end: a real registry subprocess, the real CLI, a real database.

The registry's database is changed behind its back the way an attacker who controls the
registry would: a forked history, a version left out of the log, a key swapped without the
old key's endorsement. Every install must then fail closed, naming the problem.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import select, text

from tank.cli.exit_codes import ExitCode
from tank.core import merkle
from tank.core.signing import generate_key, verify_envelope
from tank.core.translog import Entry, trusted_keys
from tank.server.db.engine import make_engine, session_factory, write_session
from tank.server.db.models import LogLeaf, RegistryKey, utcnow
from tank.server.services import registry_keys, translog
from tank.server.settings import load_settings
from tests.conftest import CLIENT_PASSWORD, ClientWorld, SkillFactory, run_tank


def publish(world: ClientWorld, token: str, folder: Path) -> None:
    result = world.tank("publish", str(folder), env={"TANK_TOKEN": token})
    assert result.returncode == 0, result.stderr + result.stdout


def install(world: ClientWorld, project: str, *names: str) -> tuple[int, str, str]:
    folder = world.project(project)
    result = world.tank("install", *names, "--json", cwd=folder)
    return result.returncode, result.stdout, result.stderr


def error_code(stdout: str, stderr: str) -> str:
    for text_ in (stdout, stderr):
        try:
            return str(json.loads(text_)["error"]["code"])
        except (ValueError, KeyError, TypeError):
            continue
    raise AssertionError(f"no JSON error in:\n{stdout}\n{stderr}")


def rewrite_log(db_url: str, change: Callable[[list[Entry]], list[Entry]]) -> None:
    """Replace the registry's log by ``change(entries)``, re-signed with its own key: what a
    registry showing a different history would serve."""
    engine = make_engine(db_url)
    try:
        with write_session(session_factory(engine)) as session:
            leaves = list(session.scalars(select(LogLeaf).order_by(LogLeaf.idx)))
            versions = {(leaf.name, leaf.version): leaf.version_id for leaf in leaves}
            entries = change([translog.entry_of(leaf) for leaf in leaves])
            session.execute(text("DELETE FROM log_leaves"))
            for leaf in leaves:
                session.expunge(leaf)
            state = registry_keys.lock_log(session)
            frontier: list[bytes] = []
            for index, entry in enumerate(entries):
                session.add(
                    LogLeaf(
                        idx=index,
                        version_id=versions.get((entry.name, entry.version)),
                        name=entry.name,
                        version=entry.version,
                        integrity=entry.integrity,
                        signer=entry.signer,
                        attestation=entry.attestation,
                        leaf_hash=entry.leaf_hash.hex(),
                    )
                )
                frontier = merkle.frontier_append(frontier, index, entry.leaf_hash)
            state.size, state.frontier = len(entries), [h.hex() for h in frontier]
            session.flush()
            translog.sign_current_head(session, load_settings(None, database_url=db_url))
    finally:
        engine.dispose()


def two_skills(world: ClientWorld, skill_factory: SkillFactory) -> None:
    token = world.publisher("alice")
    publish(world, token, skill_factory(scope="alice", name="one"))
    publish(world, token, skill_factory(scope="alice", name="two"))


def pin_files(world: ClientWorld) -> list[Path]:
    return sorted((world.root / "config" / "state" / "transparency").glob("*.json"))


def test_install_proves_inclusion_records_the_index_and_pins_the_head(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    two_skills(client_world, skill_factory)
    code, out, err = install(client_world, "p1", "@alice/two")
    assert code == 0, out + err
    lock = json.loads((client_world.root / "p1" / "skills.lock").read_text())
    assert lock["skills"]["@alice/two@1.0.0"]["log_index"] == 1
    (pin,) = pin_files(client_world)
    pinned = json.loads(pin.read_text())
    assert pinned["head"]["size"] == 2 and len(pinned["keys"]) == 1
    assert pin.stat().st_mode & 0o777 == 0o600
    # The attestation the log names is served and verifies against the served keys.
    server = client_world.server
    keys = trusted_keys([], httpx.get(f"{server.url}/v1/registry/keys").json()["keys"])
    answer = httpx.get(f"{server.url}/v1/skills/@alice/two/1.0.0/attestations").json()
    (attestation,) = answer["attestations"]
    verified = verify_envelope(attestation["envelope"], keys)
    assert verified.statement["predicate"]["verdict"] == "pass"
    inclusion = httpx.get(
        f"{server.url}/v1/log/inclusion", params={"name": "@alice/two", "version": "1.0.0"}
    ).json()
    assert inclusion["entry"]["attestation"] == attestation["digest"]
    # A later install moves the pinned head forward through a consistency proof.
    publish(client_world, client_world.server.token("alice", CLIENT_PASSWORD),
            skill_factory(scope="alice", name="three"))  # fmt: skip
    code, out, err = install(client_world, "p2", "@alice/three")
    assert code == 0, out + err
    assert json.loads(pin.read_text())["head"]["size"] == 3


def test_a_forked_log_fails_the_install(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    two_skills(client_world, skill_factory)
    code, out, err = install(client_world, "p1", "@alice/one")
    assert code == 0, out + err

    # The registry now shows a different history of the same size (leaf 1 says another
    # signer): validly signed, but not an extension of what this client saw.
    def fork(es: list[Entry]) -> list[Entry]:
        return [es[0], Entry(es[1].name, es[1].version, es[1].integrity, "x", es[1].attestation)]

    rewrite_log(client_world.server.db_url, fork)
    code, out, err = install(client_world, "p2", "@alice/one")
    assert code == ExitCode.INTEGRITY, out + err
    assert error_code(out, err) == "log_fork"
    assert not (client_world.root / "p2" / ".agents" / "skills" / "one").exists()
    # A rolled-back (shorter) log is refused the same way.
    rewrite_log(client_world.server.db_url, lambda es: es[:1])
    code, out, err = install(client_world, "p3", "@alice/one")
    assert code == ExitCode.INTEGRITY and error_code(out, err) == "log_fork"


def test_a_version_missing_from_the_log_fails_the_install(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    two_skills(client_world, skill_factory)
    rewrite_log(client_world.server.db_url, lambda es: es[:1])  # @alice/two left out
    code, out, err = install(client_world, "p1", "@alice/two")
    assert code == ExitCode.INTEGRITY, out + err
    assert error_code(out, err) == "log_missing"
    assert not (client_world.root / "p1" / ".agents").exists()
    code, out, err = install(client_world, "p2", "@alice/one")  # what is logged installs
    assert code == 0, out + err


def test_a_rotated_key_is_followed_and_an_unendorsed_one_refused(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    two_skills(client_world, skill_factory)
    assert install(client_world, "p1", "@alice/one")[0] == 0
    db_url = client_world.server.db_url
    rotated = run_tank("registry", "keys", "rotate", "--database-url", db_url, "--json")
    assert rotated.returncode == 0, rotated.stderr
    code, out, err = install(client_world, "p2", "@alice/two")
    assert code == 0, out + err
    (pin,) = pin_files(client_world)
    assert len(json.loads(pin.read_text())["keys"]) == 2  # the endorsed key is pinned too
    # Someone swaps in a key the pinned ones never endorsed and signs a head with it.
    engine = make_engine(db_url)
    try:
        with write_session(session_factory(engine)) as session:
            for row in session.scalars(select(RegistryKey)):
                row.retired_at = row.retired_at or utcnow()
            pem, public = generate_key()
            swapped = RegistryKey(keyid=public.keyid, public_key=public.as_dict(), private_pem=pem)
            session.add(swapped)
            session.flush()
            translog.sign_current_head(session, load_settings(None, database_url=db_url))
    finally:
        engine.dispose()
    code, out, err = install(client_world, "p3", "@alice/one")
    assert code == ExitCode.INTEGRITY, out + err
    assert error_code(out, err) == "log_key_changed"
    assert str(pin) in out + err  # the hint names the pin file


def test_registry_log_verify_passes_then_catches_a_tampered_row(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    two_skills(client_world, skill_factory)
    db_url = client_world.server.db_url
    good = run_tank("registry", "log", "verify", "--database-url", db_url)
    assert good.returncode == 0, good.stderr
    assert "2 entries" in good.stdout
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE skill_versions SET integrity = :i"), {"i": "sha512-x"})
    finally:
        engine.dispose()
    bad = run_tank("registry", "log", "verify", "--database-url", db_url, "--json")
    assert bad.returncode == ExitCode.INTEGRITY
    report = json.loads(bad.stdout)
    assert report["ok"] is False
    assert any("leaf 0 (@alice/one@1.0.0)" in p for p in report["problems"])
