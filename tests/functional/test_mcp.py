"""``tank mcp`` driven by the MCP SDK's own client, over stdio and streamable HTTP, against a
real registry subprocess (one per module: each test uses its own project folder)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest

pytest.importorskip("mcp")

import mcp_types as types
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError
from pydantic import TypeAdapter

from tests.conftest import (
    CLIENT_PASSWORD,
    ClientWorld,
    free_port,
    run_tank,
    start_server,
)
from tests.functional.sandbox_world import needs_bwrap

SUMMARIZER = Path(__file__).parents[2] / "examples/skills/json-summarizer"


def _skill(root: Path, name: str, manifest: dict[str, Any], source: Path | None = None) -> Path:
    folder = root / "skills" / name
    if source is not None:
        shutil.copytree(source, folder)
        data = json.loads((folder / "skills.json").read_text())
        data.update(manifest)
    else:
        folder.mkdir(parents=True)
        (folder / "SKILL.md").write_text(
            f"---\nname: {name}\ndescription: The {name} skill, for tests.\n---\n\n# {name}\n"
        )
        data = {"version": "1.0.0", "description": f"The {name} skill.", **manifest}
    (folder / "skills.json").write_text(json.dumps(data, indent=2))
    return folder


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, _sqlite_template: Path
) -> Iterator[ClientWorld]:
    """One registry where alice published @alice/json-summarizer (structured, no permissions)
    and @alice/netty (needs network access to api.example.com)."""
    root = tmp_path_factory.mktemp("mcp")
    db = root / "registry.db"
    shutil.copyfile(_sqlite_template, db)
    server = start_server(f"sqlite:///{db}", root / "blobs")
    env = {
        "TANK_CONFIG_DIR": str(root / "config"),
        "TANK_CACHE_DIR": str(root / "cache"),
        "TANK_HOME": str(root / "home"),
        "TANK_NO_KEYRING": "1",
        "TANK_REGISTRY": server.url,
        "CI": "",
        "TANK_TOKEN": "",
        "NO_COLOR": "1",
    }
    (root / "home").mkdir()
    world = ClientWorld(server, root, env)
    try:
        server.create_user("alice", CLIENT_PASSWORD)
        token = server.token("alice", CLIENT_PASSWORD, ("read", "publish"))
        summarizer = _skill(root, "json-summarizer", {"name": "@alice/json-summarizer"}, SUMMARIZER)
        netty = _skill(
            root,
            "netty",
            {"name": "@alice/netty", "permissions": {"network": {"outbound": ["api.example.com"]}}},
        )
        for folder in (summarizer, netty):
            done = world.tank("publish", str(folder), env={"TANK_TOKEN": token})
            assert done.returncode == 0, done.stderr + done.stdout
        yield world
    finally:
        server.stop()


def _project(world: ClientWorld, name: str, budget: dict[str, Any] | None) -> Path:
    folder = world.root / name
    folder.mkdir()
    manifest: dict[str, Any] = {"name": name, "skills": {}}
    if budget is not None:
        manifest["permissions"] = budget
    (folder / "skills.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return folder


def _stdio(world: ClientWorld, project: Path) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "tank.cli.main", "mcp"],
        env={**os.environ, **world.env},
        cwd=project,
    )


async def _call(session: ClientSession, name: str, arguments: dict[str, Any]) -> Any:
    return await session.call_tool(name, arguments)


async def _request(session: ClientSession, method: str, uri: str | None = None) -> Any:
    """A request the SDK has no method for (the Skills Extension's), answered as JSON."""
    params = types.RequestParams() if uri is None else types.ReadResourceRequestParams(uri=uri)
    return await session.send_request(
        types.Request(method=method, params=params), TypeAdapter(dict[str, Any])
    )


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def test_stdio_tools_install_within_budget_and_resources(world: ClientWorld) -> None:
    project = _project(world, "stdio", {})
    skill_md = (SUMMARIZER / "SKILL.md").read_text()

    async def scenario() -> None:
        async with (
            stdio_client(_stdio(world, project)) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            listed = await session.list_tools()
            assert {t.name for t in listed.tools} == {
                "search", "info", "install", "audit", "verify", "run"
            }  # fmt: skip

            found = await _call(session, "search", {"query": "json"})
            assert not found.is_error
            names = [r["name"] for r in found.structured_content["results"]]
            assert "@alice/json-summarizer" in names

            info = await _call(session, "info", {"name": "@alice/netty"})
            assert info.structured_content["version"]["permissions"] == {
                "network": {"outbound": ["api.example.com"]}
            }
            bad = await _call(session, "info", {"name": "netty"})
            assert bad.is_error and "@scope/name" in bad.content[0].text

            # over the budget: refused with the reason, nothing written or installed
            before = (project / "skills.json").read_bytes()
            refused = await _call(session, "install", {"names": ["@alice/netty"]})
            assert refused.is_error
            assert "api.example.com" in refused.content[0].text
            assert refused.structured_content["error"]["code"] == "permission_budget_exceeded"
            assert (project / "skills.json").read_bytes() == before
            assert not (project / ".agents/skills/netty").exists()

            done = await _call(session, "install", {"names": ["@alice/json-summarizer"]})
            assert not done.is_error, done.content[0].text
            assert [s["name"] for s in done.structured_content["skills"]] == [
                "@alice/json-summarizer"
            ]
            assert json.loads((project / "skills.json").read_text())["permissions"] == {}

            # the structured skill is now a tool whose input schema is its own
            tools = {t.name: t for t in (await session.list_tools()).tools}
            interface = json.loads((SUMMARIZER / "skills.json").read_text())["interface"]
            assert tools["run-json-summarizer"].input_schema == interface["inputs"]

            resources = {str(r.uri) for r in (await session.list_resources()).resources}
            assert {
                "skill://json-summarizer/SKILL.md",
                "skill://json-summarizer/scripts/main.py",
            } <= resources
            served = await session.read_resource("skill://json-summarizer/SKILL.md")
            assert served.contents[0].text == skill_md
            for uri in ("skill://json-summarizer/../../skills.json", "skill://netty/SKILL.md"):
                with pytest.raises(MCPError):
                    await session.read_resource(uri)

            # the Skills Extension's methods: entries with frontmatter and digests
            [listed_skill] = (await _request(session, "skills/list"))["skills"]
            got = await _request(session, "skills/get", "skill://json-summarizer/SKILL.md")
            assert got["skill"] == listed_skill
            assert listed_skill["frontmatter"]["name"] == "json-summarizer"
            digests = {r["uri"]: r["digest"] for r in listed_skill["resources"]}
            main = (SUMMARIZER / "scripts/main.py").read_bytes()
            assert digests["skill://json-summarizer/scripts/main.py"] == _sha256(main)
            with pytest.raises(MCPError):
                await _request(session, "skills/get", "skill://netty/SKILL.md")

            audit = await _call(session, "audit", {})
            assert not audit.is_error and audit.structured_content["ok"] is True
            verify = await _call(session, "verify", {})
            assert verify.structured_content["ok"] is True
            (project / ".agents/skills/json-summarizer/SKILL.md").write_text("tampered")
            drifted = await _call(session, "verify", {"names": ["@alice/json-summarizer"]})
            assert drifted.is_error and drifted.structured_content["ok"] is False

    anyio.run(scenario)


@needs_bwrap
def test_stdio_runs_an_installed_skill_in_the_sandbox(world: ClientWorld) -> None:
    project = _project(world, "run", {})
    installed = world.tank("install", "@alice/json-summarizer", cwd=project)
    assert installed.returncode == 0, installed.stderr

    async def scenario() -> None:
        async with (
            stdio_client(_stdio(world, project)) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            own = await _call(
                session, "run-json-summarizer", {"document": {"a": [1, 2]}, "max_depth": 2}
            )
            assert not own.is_error, own.content[0].text
            assert own.structured_content["output"] == {
                "type": "object",
                "size": 1,
                "children": {"a": {"type": "array", "size": 2}},
            }
            assert own.structured_content["run"]["sandboxed"] is True
            generic = await _call(
                session, "run", {"name": "json-summarizer", "inputs": {"document": [1]}}
            )
            assert generic.structured_content["output"]["type"] == "array"
            invalid = await _call(session, "run-json-summarizer", {"max_depth": 0})
            assert invalid.is_error and "interface.inputs" in invalid.content[0].text

    anyio.run(scenario)
    logged = world.tank("logs", "--json", cwd=project)
    records = [json.loads(line) for line in logged.stdout.splitlines() if line.strip()]
    assert len([r for r in records if r["skill"] == "@alice/json-summarizer"]) == 2


def _wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("tank mcp --transport http exited early")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("tank mcp --transport http did not listen in 30 s")


def test_http_transport_on_loopback_refuses_install_without_budget(world: ClientWorld) -> None:
    project = _project(world, "http", None)
    port = free_port()
    log = world.root / "mcp-http.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "tank.cli.main", "mcp", "--transport", "http",
             "--port", str(port)],
            cwd=project, env={**os.environ, **world.env}, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_for_port(port, process)

        async def scenario() -> None:
            async with (
                streamable_http_client(f"http://127.0.0.1:{port}/mcp") as (read, write),
                ClientSession(read, write) as session,
            ):
                await session.initialize()
                names = {t.name for t in (await session.list_tools()).tools}
                assert {"search", "install", "run"} <= names
                found = await _call(session, "search", {"query": "netty"})
                assert found.structured_content["results"][0]["name"] == "@alice/netty"
                refused = await _call(session, "install", {"names": ["@alice/json-summarizer"]})
                assert refused.is_error
                assert refused.structured_content["error"]["code"] == "mcp.no_budget"
                assert "hint:" in refused.content[0].text
                assert (await _request(session, "skills/list"))["skills"] == []

        anyio.run(scenario)
        assert not (project / "skills.lock").exists()
        assert f"at http://127.0.0.1:{port}/mcp" in log.read_text()
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_http_refuses_a_non_loopback_host_without_the_unsafe_flag(world: ClientWorld) -> None:
    result = run_tank("mcp", "--transport", "http", "--host", "0.0.0.0", env=world.env)
    assert result.returncode != 0
    assert "not a loopback address" in result.stderr
