"""``tank registry keys …`` and ``tank registry log …``: the registry key and its log."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from tank.cli.render import print_json

if TYPE_CHECKING:
    from tank.server.settings import Settings


def _settings(database_url: str | None) -> Settings:
    from tank.server.settings import load_settings

    return load_settings(None, database_url=database_url)


_database_url = click.option(
    "--database-url",
    envvar="TANK_REGISTRY_DATABASE_URL",
    help="SQLAlchemy URL of the database (env TANK_REGISTRY_DATABASE_URL).",
)
_json = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")


@click.group("keys")
def keys() -> None:
    """The registry's signing keys (attestations, transparency log heads)."""


@keys.command("list")
@_database_url
@_json
def keys_list(database_url: str | None, as_json: bool) -> None:
    """List the registry's signing keys, oldest first (the first is made if there is none)."""
    from tank.server.admin import list_keys

    found = list_keys(_settings(database_url))
    if as_json:
        print_json({"keys": found})
        return
    for key in found:
        state = "active" if key["active"] else f"retired {key['retired_at']}"
        click.echo(f"{key['keyid']}  created {key['created_at']}  {state}")


@keys.command("rotate")
@_database_url
@_json
def keys_rotate(database_url: str | None, as_json: bool) -> None:
    """Retire the active signing key for a new one, endorsed by the old.

    The old key stays (old attestations and tree heads keep verifying); clients that pinned
    it follow the endorsement to the new key.
    """
    from tank.server.admin import rotate_key

    result = rotate_key(_settings(database_url))
    if as_json:
        print_json(result)
        return
    click.echo(f"new signing key {result['active']} (retired {result['retired'] or 'none'})")


@click.group("log")
def log() -> None:
    """The registry's transparency log of every published version."""


@log.command("verify")
@_database_url
@_json
def log_verify(database_url: str | None, as_json: bool) -> int:
    """Recompute the whole log from the database and check every signed tree head.

    Exits 6 (integrity) when a leaf, a version row, an attestation digest or a signed head
    disagrees with the recomputed tree, naming each.
    """
    from tank.cli.exit_codes import ExitCode
    from tank.server.admin import verify_log

    report = verify_log(_settings(database_url))
    if as_json:
        print_json(report)
    elif report["ok"]:
        click.echo(
            f"transparency log verified: {report['size']} entries, root "
            f"{report['root_hash']}, {report['heads_checked']} signed head(s)"
        )
    else:
        for problem in report["problems"]:
            click.echo(f"error[log.verify]: {problem}", err=True)
        click.echo(
            f"the transparency log does not verify ({len(report['problems'])} problem(s))\n"
            "  hint: restore the database from a backup taken before the damage; the "
            "problems name the rows",
            err=True,
        )
    return ExitCode.OK if report["ok"] else ExitCode.INTEGRITY
