"""``tank whoami``: who the registry thinks you are, and what your token may do."""

from __future__ import annotations

from typing import Any

import click

from tank.cli.render import print_json

EPILOG = """\b
Examples:
  tank whoami
  tank whoami --registry https://tank.example.com --json
"""


@click.command(epilog=EPILOG)
@click.option("--registry", metavar="URL", help="Registry to ask (default: the configured).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (never the token).")
def command(registry: str | None, as_json: bool) -> None:
    """Show the user behind your token, its scopes, and your orgs.

    The token is TANK_TOKEN when set, else the one `tank login` stored. Exits 10 when you are
    not logged in or the registry refuses the token (expired, revoked, forged).
    """
    from tank.client.account import registry_url, whoami

    me = whoami(registry_url(registry))
    if as_json:
        print_json(me)
        return
    for line in describe(me):
        click.echo(line)


def describe(me: dict[str, Any]) -> list[str]:
    """Human lines for a ``/v1/whoami`` answer."""
    admin = " (registry admin)" if me.get("is_admin") else ""
    lines = [f"{me.get('username')}{admin} on {me.get('registry')}"]
    scopes = ", ".join(str(s) for s in me.get("scopes") or []) or "none"
    restrict = ", ".join(str(s) for s in me.get("restrict_to") or [])
    only = f" (only {restrict})" if restrict else ""
    source = "from TANK_TOKEN" if me.get("token_source") == "TANK_TOKEN" else "stored"
    lines.append(f"  token:  {scopes}{only} ({source})")
    owned = ", ".join(str(s) for s in me.get("scopes_owned") or [])
    if owned:
        lines.append(f"  owns:   {owned}")
    for org in me.get("orgs") or []:
        if isinstance(org, dict):
            lines.append(f"  org:    {org.get('scope')} ({org.get('role')})")
    lines.append(f"  verified publisher: {'yes' if me.get('verified') else 'no'}")
    return lines
