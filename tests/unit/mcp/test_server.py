"""The server's mapping of Tank's errors to MCP, in process over the SDK's memory streams."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest

pytest.importorskip("mcp")

from mcp.client.session import ClientSession
from mcp.shared.exceptions import MCPError
from mcp.shared.memory import create_client_server_memory_streams

from tank.client.paths import ProjectPaths
from tank.mcp import server, tools

Scenario = Callable[[ClientSession], Awaitable[None]]


def _serve(paths: ProjectPaths, scenario: Scenario) -> None:
    mcp_server = server.build(paths)

    async def main() -> None:
        async with (
            create_client_server_memory_streams() as (client, served),
            anyio.create_task_group() as group,
        ):
            options = mcp_server.create_initialization_options()
            group.start_soon(mcp_server.run, served[0], served[1], options)
            async with ClientSession(client[0], client[1]) as session:
                await session.initialize()
                await scenario(session)
            group.cancel_scope.cancel()

    anyio.run(main)


def test_a_refusal_is_a_tool_error_with_message_and_hint(tmp_path: Path) -> None:
    async def scenario(session: ClientSession) -> None:
        result = await session.call_tool("info", {"name": "pdf"})
        assert result.is_error
        text = result.content[0].text
        assert "'pdf' is not a skill name" in text and "hint: name skills as @scope/name" in text
        assert result.structured_content["error"]["code"] == "bad_spec"

    _serve(ProjectPaths(tmp_path, tmp_path), scenario)


def test_a_bug_is_a_tool_error_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(tools, "call", broken)

    async def scenario(session: ClientSession) -> None:
        result = await session.call_tool("search", {})
        assert result.is_error
        assert result.structured_content["error"]["code"] == "internal"
        assert "RuntimeError: boom" in result.content[0].text

    _serve(ProjectPaths(tmp_path, tmp_path), scenario)


def test_resource_errors_are_protocol_errors(tmp_path: Path) -> None:
    async def scenario(session: ClientSession) -> None:
        with pytest.raises(MCPError) as missing:
            await session.read_resource("skill://notes/SKILL.md")
        assert missing.value.code == server.RESOURCE_NOT_FOUND
        with pytest.raises(MCPError) as escape:
            await session.read_resource("skill://notes/../x")
        assert escape.value.code == server.INVALID_PARAMS
        assert (await session.list_resources()).resources == []

    _serve(ProjectPaths(tmp_path, tmp_path), scenario)
