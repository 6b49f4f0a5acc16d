"""``POST /v1/skills`` against the real registry process, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import update

from tank.core.integrity import sri_sha512
from tests.conftest import Server, SkillFactory

Pack = Callable[[Path], bytes]
PASSWORD = "correct horse battery"
NO_LIMITS = {
    "TANK_REGISTRY_RATE_LIMIT_WRITES_PER_TOKEN": "0",
    "TANK_REGISTRY_RATE_LIMIT_WRITES_PER_IP": "0",
}


def post(client: httpx.Client, data: bytes, **fields: str) -> httpx.Response:
    """Publish ``data`` with optional form fields."""
    return client.post("/v1/skills", files={"tarball": ("skill.tgz", data)}, data=fields)


def login(server: Server, name: str, scopes: tuple[str, ...] = ("read", "publish")) -> httpx.Client:
    """Create ``name`` (in-process, on the server's real database) and log in over HTTP."""
    from tank.server.admin import create_user

    create_user(server.db_url, name, PASSWORD)
    return server.client(server.token(name, PASSWORD, scopes))


def blob_count(server: Server) -> int:
    return len(list((server.storage / "sha512").glob("*/*/*")))


def test_publish_happy_path(server: Server, skill_factory: SkillFactory, pack_skill: Pack) -> None:
    alice = login(server, "alice")
    data = pack_skill(skill_factory(scope="alice"))
    answer = post(
        alice,
        data,
        name="@alice/pdf",
        version="1.0.0",
        integrity=sri_sha512(data),
    )
    assert answer.status_code == 201, answer.text
    doc = answer.json()
    assert doc["name"] == "@alice/pdf" and doc["version"] == "1.0.0"
    assert doc["integrity"] == sri_sha512(data)
    assert doc["reproducible"] is True and doc["verdict"] == "pass"
    assert doc["publisher"] == "alice" and doc["signature"] is None and doc["signer"] is None
    assert doc["tarball"] == "/v1/skills/@alice/pdf/1.0.0/tarball"
    for prefix in ("/v1", "/api/v1"):
        skill = server.client().get(f"{prefix}/skills/@alice/pdf").json()
        assert skill["latest"] == "1.0.0" and skill["dist_tags"] == {"latest": "1.0.0"}
    assert blob_count(server) == 1
    # the /api/v1 alias publishes too
    again = alice.post(
        "/api/v1/skills",
        files={"tarball": ("s.tgz", pack_skill(skill_factory(scope="alice", version="1.1.0")))},
    )
    assert again.status_code == 201
    assert server.client().get("/v1/skills/@alice/pdf").json()["latest"] == "1.1.0"


def test_prerelease_gets_latest_only_without_a_release(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = login(server, "alice")
    assert (
        post(alice, pack_skill(skill_factory(scope="alice", version="2.0.0-beta.1"))).status_code
        == 201
    )
    assert server.client().get("/v1/skills/@alice/pdf").json()["latest"] == "2.0.0-beta.1"
    assert post(alice, pack_skill(skill_factory(scope="alice", version="1.0.0"))).status_code == 201
    assert (
        post(alice, pack_skill(skill_factory(scope="alice", version="2.0.0-beta.2"))).status_code
        == 201
    )
    assert server.client().get("/v1/skills/@alice/pdf").json()["latest"] == "1.0.0"


def test_access_refusals(server: Server, skill_factory: SkillFactory, pack_skill: Pack) -> None:
    alice = login(server, "alice")
    bob = login(server, "bob")
    assert post(alice, pack_skill(skill_factory(scope="alice"))).status_code == 201
    blobs = blob_count(server)
    # someone else's scope
    answer = post(bob, pack_skill(skill_factory(scope="alice", version="9.0.0")))
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "scope_forbidden"
    assert post(bob, pack_skill(skill_factory(scope="alice", name="other"))).status_code == 403
    # a scope nobody created (reserved or not): publishing never creates one
    answer = post(alice, pack_skill(skill_factory(scope="anthropic")))
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "scope_unknown"
    # a token without the publish scope
    reader = server.client(server.token("alice", PASSWORD, ("read",)))
    answer = post(reader, pack_skill(skill_factory(scope="alice", version="2.0.0")))
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "token_scope"
    assert blob_count(server) == blobs  # refused before any blob was written


def test_anonymous_revoked_and_expired_tokens(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    data = pack_skill(skill_factory(scope="alice"))
    assert post(server.client(), data).status_code == 401
    login(server, "alice")
    revoked = server.token("alice", PASSWORD)
    mine = server.client(revoked).get("/v1/tokens").json()["tokens"]
    newest = max(t["id"] for t in mine)  # the token just issued: ``revoked``
    assert server.client(revoked).delete(f"/v1/tokens/{newest}").status_code == 200
    # then a token that expired (moved into the past in the real database)
    expired = server.token("alice", PASSWORD)
    from tank.server.db.engine import make_engine
    from tank.server.db.models import Token

    engine = make_engine(server.db_url)
    with engine.begin() as conn:
        past = datetime.now(UTC) - timedelta(days=1)
        conn.execute(update(Token).values(expires_at=past))
    engine.dispose()
    for token in (revoked, expired, "tank_forgedforgedforgedforgedforgedforged"):
        answer = post(server.client(token), data)
        assert answer.status_code == 401, answer.text
    assert blob_count(server) == 0


def test_duplicate_version(server: Server, skill_factory: SkillFactory, pack_skill: Pack) -> None:
    alice = login(server, "alice")
    assert post(alice, pack_skill(skill_factory(scope="alice"))).status_code == 201
    answer = post(alice, pack_skill(skill_factory(scope="alice", files={"new.md": "changed"})))
    assert answer.status_code == 409
    error = answer.json()["error"]
    assert error["code"] == "version_exists" and "bump" in error["hint"]


def test_hostile_archives_are_refused_and_nothing_is_stored(server: Server) -> None:
    from tests.unit.core.hostile.corpus import EXPECTED_CODES, build_corpus

    alice = login(server, "alice")
    limit = 50 * 1024 * 1024
    for name, data in build_corpus().items():
        answer = post(alice, data)
        error = answer.json()["error"]
        if len(data) > limit:  # refused by size before it is even unpacked
            assert answer.status_code == 413, (name, error)
            continue
        assert 400 <= answer.status_code < 500, (name, answer.status_code)
        assert error["code"] == EXPECTED_CODES[name], (name, error)
        assert error["detail"] == "stage validate"
    assert blob_count(server) == 0
    assert server.client().get("/v1/skills").json()["total"] == 0


def test_claimed_fields_must_match(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = login(server, "alice")
    data = pack_skill(skill_factory(scope="alice"))
    for fields in ({"name": "@alice/other"}, {"version": "2.0.0"}, {"integrity": sri_sha512(b"x")}):
        answer = post(alice, data, **fields)
        assert answer.status_code == 422
        assert answer.json()["error"]["code"] == "manifest_mismatch"
    assert blob_count(server) == 0


def test_invalid_skill_md_lists_problems(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = login(server, "alice")
    folder = skill_factory(scope="alice")
    (folder / "SKILL.md").write_text("---\nname: pdf\ndescription: ok\nbogus_key: 1\n---\n# x\n")
    answer = post(alice, pack_skill(folder))
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "invalid_skill"
    problem = next(p for p in error["problems"] if p["severity"] == "error")
    assert problem["file"] == "SKILL.md" and problem["line"] == 4


def test_manifest_must_name_the_skill(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = login(server, "alice")
    folder = skill_factory(scope="alice")
    (folder / "skills.json").write_text('{"name": "@alice/other", "version": "1.0.0"}')
    answer = post(alice, pack_skill(folder))
    assert answer.status_code == 422


def test_not_multipart_and_missing_tarball(server: Server) -> None:
    alice = login(server, "alice")
    assert alice.post("/v1/skills", content=b"x").status_code == 415
    answer = alice.post("/v1/skills", data={"name": "x"}, files={"other": ("a", b"b")})
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "missing_tarball"


def test_oversize_upload(
    server_factory: Callable[..., Server], skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    import os

    server = server_factory(env={"TANK_REGISTRY_MAX_UPLOAD_BYTES": "4000"})
    alice = login(server, "alice")
    # Over the limit, under the multipart allowance: refused after reading the field.
    small = pack_skill(skill_factory(scope="alice", files={"blob.bin": os.urandom(6000)}))
    answer = post(alice, small)
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "upload_too_large"
    # Far over: refused from Content-Length, before the body is read.
    big = pack_skill(skill_factory(scope="alice", files={"blob.bin": os.urandom(600_000)}))
    try:
        answer = post(alice, big)
        assert answer.status_code == 413
    except httpx.TransportError:
        pass  # the server may close the connection while the client still sends

    # Streamed without Content-Length: counted while reading.
    def chunks() -> object:
        boundary = b"--xyz"
        yield boundary + b'\r\nContent-Disposition: form-data; name="tarball"; filename="a"\r\n\r\n'
        for _ in range(40):
            yield os.urandom(20_000)
        yield b"\r\n" + boundary + b"--\r\n"

    try:
        answer = alice.post(
            "/v1/skills",
            content=chunks(),  # type: ignore[arg-type]
            headers={"Content-Type": "multipart/form-data; boundary=xyz"},
        )
        assert answer.status_code == 413
    except httpx.TransportError:
        pass
    assert blob_count(server) == 0


def _run_threads(jobs: list[Callable[[], None]]) -> None:
    threads = [threading.Thread(target=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)


def test_50_concurrent_distinct_versions(
    server_factory: Callable[..., Server], skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    server = server_factory(env=NO_LIMITS)
    login(server, "alice")
    token = server.token("alice", PASSWORD)
    tarballs = [pack_skill(skill_factory(scope="alice", version=f"1.0.{i}")) for i in range(50)]
    statuses: list[int] = []

    def job(data: bytes) -> Callable[[], None]:
        def run() -> None:
            with httpx.Client(
                base_url=server.url, timeout=120, headers={"Authorization": f"Bearer {token}"}
            ) as client:
                statuses.append(post(client, data).status_code)

        return run

    _run_threads([job(data) for data in tarballs])
    assert sorted(statuses) == [201] * 50, statuses
    doc = server.client().get("/v1/skills/@alice/pdf").json()
    assert len(doc["versions"]) == 50
    assert doc["latest"] == "1.0.49"
    assert blob_count(server) == 50


def test_concurrent_same_version_exactly_one_wins(
    server_factory: Callable[..., Server], skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    server = server_factory(env=NO_LIMITS)
    login(server, "alice")
    token = server.token("alice", PASSWORD)
    tarballs = [
        pack_skill(skill_factory(scope="alice", files={"n.txt": str(i)})) for i in range(12)
    ]
    statuses: list[int] = []

    def job(data: bytes) -> Callable[[], None]:
        def run() -> None:
            with httpx.Client(
                base_url=server.url, timeout=120, headers={"Authorization": f"Bearer {token}"}
            ) as client:
                statuses.append(post(client, data).status_code)

        return run

    _run_threads([job(data) for data in tarballs])
    assert sorted(statuses) == [201] + [409] * 11, statuses
    doc = server.client().get("/v1/skills/@alice/pdf").json()
    assert list(doc["versions"]) == ["1.0.0"]


def test_private_flag_on_first_publish(
    server: Server, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    alice = login(server, "alice")
    assert post(alice, pack_skill(skill_factory(scope="alice")), private="true").status_code == 201
    assert alice.get("/v1/skills/@alice/pdf").json()["private"] is True
    assert server.client().get("/v1/skills/@alice/pdf").status_code == 404
