"""Signed skill documents end to end: a real registry subprocess, the real CLI, and a real
proxy between them that replays, tampers with or strips what the registry answers.

What an attacker on the path (a mirror, a caching proxy, a CDN) can do with genuinely signed
documents: serve an old one (rollback), keep serving one past its expiry (freeze), change
one, or drop the signature. Each install must then fail closed, naming the problem, while a
normal install and update through the same proxy work.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from tank.cli.exit_codes import ExitCode
from tank.core.signed_documents import HEADER, decode_header, verify_document
from tank.core.translog import trusted_keys
from tests.conftest import ClientWorld, Server, SkillFactory, start_server
from tests.functional.replay_proxy import Answer, ReplayProxy, running
from tests.functional.test_publish_api import login, post
from tests.functional.test_transparency_log import error_code, publish

DOC = "/v1/skills/@alice/one"


def state(world: ClientWorld) -> dict[str, object]:
    (path,) = sorted((world.root / "config" / "state" / "metadata").glob("*.json"))
    assert path.stat().st_mode & 0o777 == 0o600
    data: dict[str, object] = json.loads(path.read_text())
    return data


def serial_seen(world: ClientWorld) -> int:
    skills = state(world)["skills"]
    assert isinstance(skills, dict)
    return int(skills["@alice/one"]["serial"])


def fresh_cache(world: ClientWorld, name: str) -> dict[str, str]:
    """A new, empty metadata and tarball cache (the state folder stays): nothing is
    revalidated with an ETag, every document comes whole through the proxy."""
    return {"TANK_CACHE_DIR": str(world.root / f"cache-{name}")}


def install(world: ClientWorld, project: Path, env: dict[str, str]) -> tuple[int, str, str]:
    result = world.tank("install", "--json", cwd=project, env=env)
    return result.returncode, result.stdout, result.stderr


def test_install_and_update_verify_and_a_replayed_or_tampered_document_is_refused(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    world = client_world
    token = world.publisher("alice")
    publish(world, token, skill_factory(scope="alice", name="one", version="1.0.0"))
    with running(ReplayProxy(world.server.url)) as proxy:
        env = {"TANK_REGISTRY": proxy.url}
        p1 = world.project("p1", {"@alice/one": "^1.0.0"})
        code, out, err = install(world, p1, env)
        assert code == 0, out + err
        assert json.loads(out)["unsigned_metadata_registries"] == []
        assert "unsigned" not in err
        first = serial_seen(world)
        old = proxy.recorded[DOC]

        # The registry's header verifies against its served keys, names the serial, and a
        # 304 carries it too.
        keys = trusted_keys([], httpx.get(f"{world.server.url}/v1/registry/keys").json()["keys"])
        _status, headers, body = old
        envelope = json.loads(base64.b64decode(headers[HEADER.lower()]))
        signed = verify_document(envelope, body, keys, "@alice/one", registry="r")
        assert signed.serial == first and signed.expires > datetime.now(UTC)
        etag = headers["etag"]
        again = httpx.get(f"{world.server.url}{DOC}", headers={"If-None-Match": etag})
        assert again.status_code == 304 and HEADER in again.headers

        # A new version: a normal update sees it, and a newer serial is remembered.
        publish(world, token, skill_factory(scope="alice", name="one", version="1.1.0"))
        update = world.tank("update", "--json", cwd=p1, env=env)
        assert update.returncode == 0, update.stdout + update.stderr
        lock = json.loads((p1 / "skills.lock").read_text())
        assert "@alice/one@1.1.0" in lock["skills"]
        assert serial_seen(world) > first

        # Rollback: the old document, genuinely signed and not expired, replayed.
        proxy.replay[DOC] = old
        p2 = world.project("p2", {"@alice/one": "^1.0.0"})
        code, out, err = install(world, p2, {**env, **fresh_cache(world, "replay")})
        assert code == ExitCode.INTEGRITY, out + err
        assert error_code(out, err) == "metadata_rollback"
        assert f"serial {first}" in out + err and "rollback" in out + err
        assert not (p2 / ".agents").exists()
        del proxy.replay[DOC]

        # Tampered: version 1.1.0 marked yanked on the way (valid JSON, same signature).
        def yank(path: str, answer: Answer) -> Answer:
            status, headers, body = answer
            if path != DOC or status != 200:
                return answer
            return status, headers, body.replace(b'"yanked":false', b'"yanked":true', 1)

        proxy.change = yank
        p3 = world.project("p3", {"@alice/one": "^1.0.0"})
        code, out, err = install(world, p3, {**env, **fresh_cache(world, "tamper")})
        assert code == ExitCode.INTEGRITY, out + err
        assert error_code(out, err) == "metadata_signature_invalid"
        assert "digest mismatch" in out + err
        assert not (p3 / ".agents").exists()
        proxy.change = None

        # Untouched again: it installs (the refusals left nothing behind).
        code, out, err = install(world, p3, {**env, **fresh_cache(world, "after")})
        assert code == 0, out + err


def test_unsigned_first_contact_warns_then_unsigned_is_refused_and_expiry_is_enforced(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    world = client_world
    token = world.publisher("alice")
    publish(world, token, skill_factory(scope="alice", name="one", version="1.0.0"))

    def strip(path: str, answer: Answer) -> Answer:
        status, headers, body = answer
        return status, {k: v for k, v in headers.items() if k.lower() != HEADER.lower()}, body

    # A registry whose documents come unsigned (an older registry, a plain mirror), met for
    # the first time: accepted, with a warning.
    with running(ReplayProxy(world.server.url, change=strip)) as proxy:
        env = {"TANK_REGISTRY": proxy.url}
        p1 = world.project("p1", {"@alice/one": "^1.0.0"})
        code, out, err = install(world, p1, env)
        assert code == 0, out + err
        assert json.loads(out)["unsigned_metadata_registries"] == [proxy.url]
        assert "serves unsigned skill documents" in err
        # It signs from now on: accepted and remembered...
        proxy.change = None
        p2 = world.project("p2", {"@alice/one": "^1.0.0"})
        code, out, err = install(world, p2, {**env, **fresh_cache(world, "signed")})
        assert code == 0, out + err
        assert state(world)["signed"] is True
        # ...so a document stripped of its signature is refused.
        proxy.change = strip
        p3 = world.project("p3", {"@alice/one": "^1.0.0"})
        code, out, err = install(world, p3, {**env, **fresh_cache(world, "stripped")})
        assert code == ExitCode.INTEGRITY, out + err
        assert error_code(out, err) == "metadata_unsigned"
        assert not (p3 / ".agents").exists()

    # Expiry: a second registry process on the same database whose signatures live 1 s.
    short = start_server(
        world.server.db_url,
        world.server.storage,
        {"TANK_REGISTRY_DOCUMENT_SIGNATURE_LIFETIME_SECONDS": "1"},
    )
    try:
        with running(ReplayProxy(short.url)) as proxy:
            env = {"TANK_REGISTRY": proxy.url}
            p4 = world.project("p4", {"@alice/one": "^1.0.0"})
            code, out, err = install(world, p4, env)  # fresh signatures: it installs
            assert code == 0, out + err
            old = proxy.recorded[DOC]
            expires = json.loads(
                base64.b64decode(json.loads(base64.b64decode(old[1][HEADER.lower()]))["payload"])
            )["expires"]
            left = datetime.fromisoformat(expires).timestamp() - time.time()
            time.sleep(max(0.0, left) + 0.2)  # at most ~1.2 s
            proxy.replay[DOC] = old  # a freeze: the same document, served past its expiry
            p5 = world.project("p5", {"@alice/one": "^1.0.0"})
            code, out, err = install(world, p5, {**env, **fresh_cache(world, "expired")})
            assert code == ExitCode.INTEGRITY, out + err
            assert error_code(out, err) == "metadata_expired"
            message = json.loads(out)["error"]["message"]
            assert proxy.url in message and "expired" in message and "ago" in message
            assert "--refresh" in json.loads(out)["error"]["hint"]
            assert not (p5 / ".agents").exists()
    finally:
        short.stop()


def test_the_registry_signs_every_document_with_a_growing_serial(
    server: Server, skill_factory: SkillFactory, pack_skill: Callable[[Path], bytes]
) -> None:
    """On SQLite and PostgreSQL: each rebuild of a document (publish, yank) raises its serial
    by one in the database, and every answer, 304 included, carries a valid signature."""
    alice = login(server, "alice")
    anon = server.client()
    keys = trusted_keys([], anon.get("/v1/registry/keys").json()["keys"])

    def signed_now() -> tuple[int, str]:
        answer = anon.get(DOC)
        assert answer.status_code == 200
        envelope = decode_header(answer.headers[HEADER], registry=server.url)
        doc = verify_document(envelope, answer.content, keys, "@alice/one", registry=server.url)
        assert doc.expires - doc.issued >= timedelta(hours=24)
        return doc.serial, answer.headers["ETag"]

    for version in ("1.0.0", "1.1.0"):
        folder = skill_factory(scope="alice", name="one", version=version)
        assert post(alice, pack_skill(folder)).status_code == 201
    published, etag = signed_now()
    assert published >= 2
    not_modified = anon.get(DOC, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and HEADER in not_modified.headers
    assert alice.post(f"{DOC}/1.1.0/yank", json={"reason": "broken"}).status_code == 200
    yanked, _ = signed_now()
    assert yanked == published + 1
