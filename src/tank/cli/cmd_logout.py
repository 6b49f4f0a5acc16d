"""``tank logout``: revoke the stored token on the registry and forget it locally."""

from __future__ import annotations

import os

import click

from tank.cli.render import print_json

EPILOG = """\b
Examples:
  tank logout
  tank logout --registry https://tank.example.com
"""


@click.command(epilog=EPILOG)
@click.option("--registry", metavar="URL", help="Registry to log out of (default: the configured).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def command(registry: str | None, as_json: bool) -> None:
    """Log out: revoke the stored token on the registry, then forget it.

    The token is forgotten locally even when the registry cannot be reached (you are told it
    was not revoked). A TANK_TOKEN in the environment is left alone: unset it yourself.
    """
    from tank.client.account import logout, registry_url

    result = logout(registry_url(registry))
    if as_json:
        print_json(result.as_dict())
        return
    if not result.was_logged_in:
        click.echo(f"Not logged in to {result.registry}: nothing to do")
    elif result.revoked:
        click.echo(f"Logged out of {result.registry} (token revoked and forgotten)")
    else:
        click.echo(f"Logged out of {result.registry} (token forgotten)")
    if result.note:
        click.echo(f"note: {result.note}", err=True)
    if os.environ.get("TANK_TOKEN"):
        click.echo("note: TANK_TOKEN is still set in the environment", err=True)
