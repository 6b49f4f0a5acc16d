"""The MCP server: Tank's tools and installed skills over the official SDK's low-level server.

The low-level :class:`mcp.server.Server` is used (not ``MCPServer``) because the tool list
is data: the ``run-<skill>`` tools and their schemas come from what is installed, read again
at every ``tools/list``. Every Tank call blocks (HTTP, files, the sandbox), so each runs in a
worker thread; a :class:`~tank.core.errors.TankError` becomes a tool error (``isError``)
whose text is the message and the hint, with the full error (code, problems) as structured
content, and a resource error a JSON-RPC error carrying the same.
"""

from __future__ import annotations

import json
import sys
import traceback
from base64 import b64encode
from functools import partial
from typing import Any, Literal

import anyio
import mcp_types as types
from mcp.server import Server, ServerRequestContext
from mcp.shared.exceptions import MCPError

import tank
from tank.client.paths import ProjectPaths
from tank.core.errors import TankError
from tank.mcp import resources, tools

SKILLS_EXTENSION = "io.modelcontextprotocol/skills"
RESOURCE_NOT_FOUND = -32002
INVALID_PARAMS = -32602
INSTRUCTIONS = (
    "Tank: a security-first package manager for agent skills. Find skills with `search` and "
    "`info`, add them to this project with `install` (never beyond its permission budget), "
    "check them with `audit` and `verify`, and run them in the sandbox with `run` or their "
    "own `run-<skill>` tool. Installed skills are resources: skill://<name>/SKILL.md."
)
Transport = Literal["stdio", "http"]


def error_text(error: TankError) -> str:
    """What a person or an agent reads: the message, each problem, and the hint."""
    lines = [str(error)]
    lines += [f"  - {p.message}" for p in error.problems[:20]]
    if error.hint:
        lines.append(f"hint: {error.hint}")
    return "\n".join(lines)


def _tool(spec: tools.ToolSpec) -> types.Tool:
    return types.Tool(
        name=spec.name,
        description=spec.description,
        input_schema=spec.input_schema,
        output_schema=spec.output_schema,
        annotations=types.ToolAnnotations(
            read_only_hint=spec.read_only, open_world_hint=spec.name in ("search", "info")
        ),
    )


def build(paths: ProjectPaths) -> Server[Any]:
    """The server for the project at ``paths`` (its tools, its installed skills)."""

    async def list_tools(
        _ctx: ServerRequestContext[Any], _params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        dynamic = await anyio.to_thread.run_sync(tools.skill_tools, paths)
        return types.ListToolsResult(tools=[_tool(t) for t in (*tools.FIXED, *dynamic)])

    async def call_tool(
        _ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        arguments = params.arguments or {}
        try:
            result, failed = await anyio.to_thread.run_sync(
                partial(tools.call, paths, params.name, arguments)
            )
        except TankError as error:
            return types.CallToolResult(
                content=[types.TextContent(text=error_text(error))],
                structured_content={"error": error.as_dict()},
                is_error=True,
            )
        except Exception as bug:  # a bug, not a refusal: the agent still gets a tool error
            traceback.print_exc(file=sys.stderr)  # the server's log (stderr, for stdio too)
            internal = TankError(
                f"internal error in {params.name}: {type(bug).__name__}: {bug}",
                code="internal",
                hint="the traceback is in the server's log (its standard error); please report it",
            )
            return types.CallToolResult(
                content=[types.TextContent(text=error_text(internal))],
                structured_content={"error": internal.as_dict()},
                is_error=True,
            )
        text = json.dumps(result, indent=2, sort_keys=True, default=str)
        return types.CallToolResult(
            content=[types.TextContent(text=text)], structured_content=result, is_error=failed
        )

    async def list_resources(
        _ctx: ServerRequestContext[Any], _params: types.PaginatedRequestParams | None
    ) -> types.ListResourcesResult:
        files = await anyio.to_thread.run_sync(resources.list_files, paths)
        listed = [
            types.Resource(
                uri=f.uri,
                name=f.skill if f.path == "SKILL.md" else f"{f.skill}/{f.path}",
                description=f.description,
                mime_type=resources.mime_of(f.path),
                size=f.size,
            )
            for f in files
        ]
        return types.ListResourcesResult(resources=listed)

    async def read_resource(
        _ctx: ServerRequestContext[Any], params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        uri = str(params.uri)
        try:
            found = await anyio.to_thread.run_sync(resources.read, paths, uri)
        except TankError as error:
            code = RESOURCE_NOT_FOUND if error.code.endswith("not_found") else INVALID_PARAMS
            raise MCPError(code, error_text(error), error.as_dict()) from None
        contents: types.TextResourceContents | types.BlobResourceContents
        if found.text is not None:
            contents = types.TextResourceContents(
                uri=uri, mime_type=found.mime_type, text=found.text
            )
        else:
            blob = b64encode(found.data or b"").decode("ascii")
            contents = types.BlobResourceContents(uri=uri, mime_type=found.mime_type, blob=blob)
        return types.ReadResourceResult(contents=[contents])

    server: Server[Any] = Server(
        "tank",
        version=tank.__version__,
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        on_list_resources=list_resources,
        on_read_resource=read_resource,
    )

    async def list_skills(
        _ctx: ServerRequestContext[Any], _params: types.PaginatedRequestParams
    ) -> dict[str, Any]:
        return {"skills": await anyio.to_thread.run_sync(resources.entries, paths)}

    async def get_skill(
        _ctx: ServerRequestContext[Any], params: types.ReadResourceRequestParams
    ) -> dict[str, Any]:
        try:
            found = await anyio.to_thread.run_sync(resources.entry, paths, str(params.uri))
        except TankError as error:  # the extension says: Invalid params, as resources/read
            raise MCPError(INVALID_PARAMS, error_text(error), error.as_dict()) from None
        return {"skill": found}

    # The MCP Skills Extension (SEP-2640): declaring it commits to skills/list and skills/get.
    server.add_request_handler("skills/list", types.PaginatedRequestParams, list_skills)
    server.add_request_handler("skills/get", types.ReadResourceRequestParams, get_skill)
    server.extensions[SKILLS_EXTENSION] = {}
    return server


async def serve_stdio(paths: ProjectPaths) -> None:
    """Serve over standard input and output until the client closes them."""
    from mcp.server.stdio import stdio_server

    server = build(paths)
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


async def serve_http(paths: ProjectPaths, host: str, port: int) -> None:
    """Serve streamable HTTP at ``http://HOST:PORT/mcp`` (DNS-rebinding protection on for
    loopback hosts, as the SDK sets it)."""
    import uvicorn

    app = build(paths).streamable_http_app(host=host)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning")
    await uvicorn.Server(config).serve()


def serve(paths: ProjectPaths, transport: Transport, host: str, port: int) -> None:
    """Run the server on ``transport`` until it is stopped."""
    if transport == "stdio":
        anyio.run(serve_stdio, paths)
    else:
        anyio.run(serve_http, paths, host, port)
