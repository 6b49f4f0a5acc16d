"""``tank publish`` against a real registry process (and one stand-in that records uploads)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tank.cli.exit_codes import ExitCode
from tank.core.integrity import sri_sha512
from tests.conftest import CLIENT_PASSWORD, ClientWorld, SkillFactory, run_tank

Pack = Callable[[Path], bytes]
NETWORK = {"network": {"outbound": ["api.example.com"]}, "secrets": ["EXAMPLE_KEY"]}


def no_secret(secret: str, *outputs: str) -> None:
    assert len(secret) > 16
    for text in outputs:
        assert secret not in text


def test_dry_run_shows_everything_and_needs_no_login(
    client_world: ClientWorld, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    world = client_world
    folder = skill_factory(
        scope="alice", permissions=NETWORK, files={"scripts/run.py": "print('hi')\n"}
    )
    integrity = sri_sha512(pack_skill(folder))
    result = world.tank("publish", str(folder), "--dry-run")
    assert result.returncode == ExitCode.OK, result.stderr
    out = result.stdout
    assert f"publishing @alice/pdf@1.0.0 to {world.server.url}" in out
    assert "SKILL.md" in out and "skills.json" in out and "scripts/run.py" in out
    assert "packed" in out and "unpacked" in out
    assert "network.outbound  api.example.com   [dangerous]" in out
    assert "secrets           EXAMPLE_KEY" in out
    assert f"integrity:   {integrity}" in out
    assert "dry run: nothing was uploaded" in out

    as_json = json.loads(world.tank("publish", str(folder), "--dry-run", "--json").stdout)
    assert as_json["dry_run"] is True and as_json["integrity"] == integrity
    assert as_json["dangerous"] is True
    assert as_json["permissions"]["network"]["outbound"] == ["api.example.com"]
    assert sorted(f["path"] for f in as_json["files"]) == [
        "SKILL.md",
        "scripts/run.py",
        "skills.json",
    ]
    assert world.server.client().get("/v1/skills/@alice/pdf").status_code == 404


def test_publish_needs_a_login(client_world: ClientWorld, skill_factory: SkillFactory) -> None:
    world = client_world
    world.publisher("alice")
    result = world.tank("publish", str(skill_factory(scope="alice")))
    assert result.returncode == ExitCode.AUTH
    assert "not logged in" in result.stderr and "tank login" in result.stderr
    assert world.server.client().get("/v1/skills/@alice/pdf").status_code == 404


def test_publish_shows_the_verdict_and_never_the_token(
    client_world: ClientWorld, skill_factory: SkillFactory, pack_skill: Pack
) -> None:
    world = client_world
    token = world.publisher("alice")
    assert world.tank("login", "--token-stdin", input=token).returncode == ExitCode.OK
    first = skill_factory(scope="alice", version="1.0.0")
    published = world.tank("-v", "publish", str(first))
    assert published.returncode == ExitCode.OK, published.stderr
    assert "published @alice/pdf@1.0.0" in published.stdout
    assert "verdict:     pass" in published.stdout
    assert "audit score: " in published.stdout and "reproducible_build" in published.stdout
    assert "uploading @alice/pdf@1.0.0" in published.stderr  # plain progress off a terminal

    # network access is a new dangerous permission: enforced semver wants a MAJOR bump
    second = skill_factory(scope="alice", version="2.0.0", permissions=NETWORK)
    as_json = world.tank("-v", "publish", str(second), "--json")
    assert as_json.returncode == ExitCode.OK, as_json.stderr
    data = json.loads(as_json.stdout)
    claimed = sri_sha512(pack_skill(second))
    assert data["dry_run"] is False and data["integrity"] == claimed
    assert data["result"]["integrity"] == claimed and data["result"]["verdict"] == "pass"
    stored = world.server.client().get("/v1/skills/@alice/pdf/2.0.0").json()
    assert stored["integrity"] == claimed and stored["publisher"] == "alice"
    assert stored["permissions"]["network"]["outbound"] == ["api.example.com"]

    again = world.tank("publish", str(first))
    assert again.returncode == ExitCode.REGISTRY
    assert "@alice/pdf@1.0.0 already exists" in again.stderr and "bump" in again.stderr
    no_secret(token, *(r.stdout + r.stderr for r in (published, as_json, again)))


def test_publishing_into_someone_elses_scope_is_refused(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    world = client_world
    world.publisher("bob")
    mallory = world.publisher("mallory")
    result = world.tank("publish", str(skill_factory(scope="bob")), env={"TANK_TOKEN": mallory})
    assert result.returncode == ExitCode.AUTH
    assert "you may not publish into @bob" in result.stderr
    assert "hint:" in result.stderr
    assert world.server.client().get("/v1/skills/@bob/pdf").status_code == 404
    no_secret(mallory, result.stdout, result.stderr)


def test_a_read_only_token_cannot_publish(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    world = client_world
    world.publisher("alice")
    read_only = world.server.token("alice", CLIENT_PASSWORD, ("read",))
    result = world.tank("publish", str(skill_factory(scope="alice")), env={"TANK_TOKEN": read_only})
    assert result.returncode == ExitCode.AUTH
    assert "cannot publish" in result.stderr


def test_private_publish_and_invalid_skill(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    world = client_world
    token = world.publisher("alice")
    env = {"TANK_TOKEN": token}
    folder = skill_factory(scope="alice", name="secret-tool")
    result = world.tank("publish", str(folder), "--private", env=env)
    assert result.returncode == ExitCode.OK, result.stderr
    assert "(private)" in result.stdout
    assert world.server.client().get("/v1/skills/@alice/secret-tool").status_code == 404
    assert world.server.client(token).get("/v1/skills/@alice/secret-tool").json()["private"]

    broken = skill_factory(scope="alice", name="broken")
    text = (broken / "SKILL.md").read_text().replace("name: broken", "name: Not--Valid")
    (broken / "SKILL.md").write_text(text)
    invalid = world.tank("publish", str(broken), env=env)
    assert invalid.returncode == ExitCode.INVALID
    assert "SKILL.md:2" in invalid.stderr
    assert world.server.client(token).get("/v1/skills/@alice/broken").status_code == 404


def test_scope_registry_from_config_decides_where_it_goes(
    client_world: ClientWorld, skill_factory: SkillFactory
) -> None:
    world = client_world
    token = world.publisher("alice")
    # the default registry is dead; @alice's registry is the real one
    env = {"TANK_REGISTRY": "http://127.0.0.1:9"}
    assert world.tank("config", "set", "@alice:registry", world.server.url).returncode == 0
    login = world.tank("login", "--registry", world.server.url, "--token", token, env=env)
    assert login.returncode == ExitCode.OK, login.stderr
    result = world.tank("publish", str(skill_factory(scope="alice")), env=env)
    assert result.returncode == ExitCode.OK, result.stderr
    assert f"to {world.server.url}" in result.stdout
    assert world.server.client().get("/v1/skills/@alice/pdf").status_code == 200


# ---------------------------------------------------------------- what exactly goes over the wire


class Recorder(BaseHTTPRequestHandler):
    """A stand-in registry: records the publish request and answers with ``server.answer``."""

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        server: Any = self.server
        server.requests.append((self.path, dict(self.headers), self.rfile.read(length)))
        body = json.dumps(server.answer).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[Any]:
    server: Any = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.requests = []
    server.answer = {}
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def form_parts(headers: dict[str, str], body: bytes) -> dict[str, Message]:
    raw = f"Content-Type: {headers['Content-Type']}\r\n\r\n".encode() + body
    message = BytesParser(policy=HTTP).parsebytes(raw)
    assert message.is_multipart()
    parts: dict[str, Message] = {}
    for part in message.iter_parts():  # type: ignore[attr-defined]
        parts[str(part.get_param("name", header="content-disposition"))] = part
    return parts


def test_the_claimed_integrity_is_the_hash_of_the_bytes_sent(
    recorder: Any, skill_factory: SkillFactory, tmp_path: Path, pack_skill: Pack
) -> None:
    folder = skill_factory(scope="alice")
    secret = "tank_" + "s3cr3t" * 8
    recorder.answer = {
        "name": "@alice/pdf",
        "version": "1.0.0",
        "verdict": "fail",
        "audit_score": 1.0,
        "findings": [
            {"severity": "high", "rule_id": "exfil", "message": "sends \x1b[2Jsecrets", "file": "x"}
        ],
        "warnings": ["the registry is a stand-in"],
    }
    env = {
        "TANK_CONFIG_DIR": str(tmp_path / "config"),
        "TANK_TOKEN": secret,
        "TANK_NO_KEYRING": "1",
    }
    result = run_tank("-v", "publish", str(folder), "--registry", recorder.url, env=env)
    # a failed scan is reported as such, with its findings, and the exit status says so
    assert result.returncode == ExitCode.REGISTRY
    assert "failed the registry's security scan" in result.stderr
    assert "high[exfil]: sends ?[2Jsecrets (x)" in result.stdout  # no escape reaches the tty
    assert "the registry is a stand-in" in result.stdout
    no_secret(secret, result.stdout, result.stderr)

    # with --json: one JSON object on stdout (the answer, verdict included), same exit status
    as_json = run_tank("publish", str(folder), "--registry", recorder.url, "--json", env=env)
    assert as_json.returncode == ExitCode.REGISTRY
    assert json.loads(as_json.stdout)["result"]["verdict"] == "fail"
    no_secret(secret, as_json.stdout, as_json.stderr)

    (path, headers, body) = recorder.requests[0]
    assert path == "/v1/skills"
    assert headers["Authorization"] == f"Bearer {secret}"
    parts = form_parts(headers, body)
    sent = parts["tarball"].get_payload(decode=True)
    assert isinstance(sent, bytes) and sent == pack_skill(folder)
    assert parts["integrity"].get_payload() == sri_sha512(sent)
    assert parts["name"].get_payload() == "@alice/pdf"
    assert parts["version"].get_payload() == "1.0.0"
    assert "private" not in parts
