"""``tank mcp``: Tank's skills served to any MCP client (a thin adapter, like ``tank.cli``).

:mod:`tank.mcp.actions` calls the same client and runtime functions as the CLI commands and
returns JSON values; :mod:`tank.mcp.tools` describes the tools (JSON Schemas in and out);
:mod:`tank.mcp.resources` serves installed skills as ``skill://`` resources;
:mod:`tank.mcp.server` wires them to the official MCP SDK (stdio or streamable HTTP).
"""
