"""``tank mcp``: serve Tank's tools and the project's installed skills to MCP clients."""

from __future__ import annotations

import importlib.util

import click

from tank.core.errors import NotInstalledError, UsageError

EPILOG = """\b
Examples:
  claude mcp add tank -- tank mcp               # Claude Code, over stdio, in this project
  tank mcp                                      # stdio (the client starts it)
  tank mcp --transport http --port 8765         # streamable HTTP at http://127.0.0.1:8765/mcp
\b
Tools: search, info, install (never beyond the project's permission budget), audit,
verify, run (in the sandbox), and run-<skill> for each installed structured skill.
Resources: skill://<name>/SKILL.md and every file of each installed skill, with the
Skills Extension's skills/list and skills/get. docs/mcp.md says more.
"""

#: Hosts ``--host`` takes without ``--unsafe-listen-anywhere``: loopback only.
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def require_sdk() -> None:
    """Raise :class:`NotInstalledError` naming the extra when the MCP SDK is missing."""
    if importlib.util.find_spec("mcp") is None:
        raise NotInstalledError(
            "`tank mcp` needs the MCP SDK, which is not installed",
            code="mcp_not_installed",
            detail="missing module: mcp",
            hint="pip install 'tank[mcp]' (or: uv pip install 'tank[mcp]')",
        )


@click.command(epilog=EPILOG)
@click.option(
    "--transport",
    type=click.Choice(["stdio", "http"]),
    default="stdio",
    show_default=True,
    help="stdio (the client starts `tank mcp`) or streamable HTTP (served at /mcp).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="HTTP: address to bind.")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8765, show_default=True, help="HTTP: port."
)
@click.option(
    "--unsafe-listen-anywhere",
    "anywhere",
    is_flag=True,
    help="HTTP: allow a --host other than loopback. The server has no authentication: "
    "anyone who reaches it can install and run skills in this project.",
)
def command(transport: str, host: str, port: int, anywhere: bool) -> None:
    """Serve Tank to MCP clients (Claude Code, Codex, Cursor...) for this project.

    The project is the folder `tank mcp` starts in (or the nearest one above holding
    skills.json). Tools search the registry, describe skills, install them (refused beyond
    the project's permission budget, never asking to widen it), audit and verify them, and
    run them through the sandbox. Installed skills are served as resources
    (skill://<name>/<path>), after the MCP Skills Extension.
    """
    require_sdk()
    if transport == "http" and host not in LOOPBACK and not anywhere:
        raise UsageError(
            f"--host {host} is not a loopback address",
            code="mcp.host",
            hint="the HTTP server has no authentication; add --unsafe-listen-anywhere only "
            "on a network you trust",
        )
    from tank.cli.paths_view import project_paths_for
    from tank.mcp.server import serve

    paths = project_paths_for(False)
    if transport == "http":  # stdout may be read by a script; stdio's is the MCP stream
        shown = f"[{host}]" if ":" in host else host
        click.echo(f"tank mcp: serving {paths.meta_root} at http://{shown}:{port}/mcp", err=True)
    serve(paths, "stdio" if transport == "stdio" else "http", host, port)
