"""``tank registry …``: run and administer a Tank registry server."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tank.cli.render import print_json
from tank.core.errors import NotInstalledError

if TYPE_CHECKING:
    from tank.server.settings import Settings

EPILOG = """\b
Examples:
  tank registry serve                                   # SQLite + ./tank-registry/ on :8800
  tank registry serve --port 8800 --workers 4 \\
      --database-url postgresql://root@127.0.0.1:5432/tank --storage /srv/tank/blobs
  tank registry create-user alice --password 's3cret-pw' --database-url sqlite:///reg.db
  tank registry create-org acme --owner alice
  tank registry create-org tank --owner alice --approve # reserved or look-alike: approved
  tank registry add-member acme bob --role publisher
  tank registry create-token alice --scopes read,publish --restrict-to @acme --name ci
  tank registry gc --dry-run
  tank registry grant-reviewer carol                    # may POST community reviews
  tank registry verify-publisher alice --revoke
  tank registry disable-user mallory                    # tokens revoked, skills kept
  tank registry rescan @acme/pdf@1.2.0                  # or: tank registry rescan --all
  tank registry keys rotate                             # old key endorses the new one
  tank registry log verify                              # recompute the transparency log
  tank registry import github:anthropics/skills --all --scope @mirror --as alice
  tank registry migrate --database-url postgresql://root@127.0.0.1:5432/tank
"""

DB_HELP = "SQLAlchemy URL of the database (env TANK_REGISTRY_DATABASE_URL)."
APPROVE_HELP = (
    "Approve a reserved name or one that resembles an existing scope (confusable, or one "
    "edit from a verified scope); without it such a name is refused, naming the scope."
)


# Shared by every subcommand that opens the registry's database or blob folder.
database_url_option = click.option(
    "--database-url", envvar="TANK_REGISTRY_DATABASE_URL", help=DB_HELP
)
storage_option = click.option(
    "--storage",
    type=click.Path(path_type=Path, file_okay=False),
    envvar="TANK_REGISTRY_STORAGE",
    help="Folder for tarballs (env TANK_REGISTRY_STORAGE).",
)


#: Top-level modules of the server stack that ``tank[registry]`` installs (pyproject.toml).
SERVER_MODULES = (
    "fastapi", "uvicorn", "sqlalchemy", "alembic", "psycopg", "argon2", "pydantic_settings",
    "multipart",
)  # fmt: skip
_HELP = frozenset({"--help", "-h"})


def require_server() -> None:
    """Raise :class:`NotInstalledError` naming the extra when the server stack is missing.

    ``pip install tank`` is the client only; checking here (cheaply, without importing
    anything) turns a ``ModuleNotFoundError`` deep in the server into the install command.
    """
    missing = [name for name in SERVER_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise NotInstalledError(
            "`tank registry` needs the registry server, which is not installed",
            code="registry_not_installed",
            detail=f"missing modules: {', '.join(missing)}",
            hint="pip install 'tank[registry]' (or: uv pip install 'tank[registry]')",
        )


class _RegistryGroup(click.Group):
    """The ``registry`` group: every subcommand needs the server, their help does not."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and _HELP.isdisjoint(args):
            require_server()
        return super().parse_args(ctx, args)


@click.group(cls=_RegistryGroup, epilog=EPILOG)
def command() -> None:
    """Run and administer a Tank registry (SQLite + a local folder by default)."""


@command.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8800, show_default=True, type=int, help="Port to listen on.")
@database_url_option
@storage_option
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    envvar="TANK_REGISTRY_CONFIG",
    help="TOML file with a [registry] table of settings.",
)
def serve(
    host: str,
    port: int,
    database_url: str | None,
    storage: Path | None,
    workers: int,
    config: Path | None,
) -> None:
    """Migrate the database if needed, then serve the registry API."""
    from tank.server.admin import serve as run_server
    from tank.server.settings import load_settings

    settings = load_settings(
        config,
        host=host,
        port=port,
        database_url=database_url,
        storage=storage.resolve() if storage else None,
        workers=workers,
    )
    click.echo(
        f"tank registry on http://{settings.host}:{settings.port} "
        f"({settings.database_url.split('://', 1)[0]}, {settings.workers} worker(s))",
        err=True,
    )
    run_server(settings)


@command.command()
@database_url_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def migrate(database_url: str | None, as_json: bool) -> None:
    """Bring the database schema to the newest version."""
    from tank.server.admin import migrate as run_migrate
    from tank.server.settings import load_settings

    url = load_settings(None, database_url=database_url).database_url
    result = run_migrate(url)
    if as_json:
        print_json({"before": result.before, "after": result.after})
    elif result.before == result.after:
        click.echo(f"database is up to date (revision {result.after})")
    else:
        click.echo(f"migrated {result.before or 'empty database'} -> {result.after}")


@command.command("create-user")
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--admin", is_flag=True, help="Make the user a registry administrator.")
@click.option("--verified", is_flag=True, help="Mark the user as a verified publisher.")
@click.option("--approve", is_flag=True, help=APPROVE_HELP)
@database_url_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def create_user(
    username: str,
    password: str,
    admin: bool,
    verified: bool,
    approve: bool,
    database_url: str | None,
    as_json: bool,
) -> None:
    """Create a user account (its name is also its personal scope)."""
    from tank.server.admin import create_user as run_create_user
    from tank.server.settings import load_settings

    url = load_settings(None, database_url=database_url).database_url
    user_id = run_create_user(
        url, username, password, admin=admin, verified=verified, approve=approve
    )
    if as_json:
        print_json({"id": user_id, "username": username, "admin": admin})
    else:
        click.echo(f"created user {username}" + (" (admin)" if admin else ""))


def _settings(database_url: str | None, storage: Path | None = None) -> Settings:
    from tank.server.settings import load_settings

    return load_settings(
        None, database_url=database_url, storage=storage.resolve() if storage else None
    )


def _csv(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


@command.command("create-org")
@click.argument("name")
@click.option("--owner", required=True, help="Username of the org's first owner.")
@click.option("--approve", is_flag=True, help=APPROVE_HELP)
@database_url_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def create_org(
    name: str, owner: str, approve: bool, database_url: str | None, as_json: bool
) -> None:
    """Create an org (its name becomes the scope @NAME) owned by an existing user."""
    from tank.server.admin import create_org as run_create_org

    result = run_create_org(_settings(database_url), name, owner=owner, approve=approve)
    if as_json:
        print_json(result)
    else:
        click.echo(f"created org {name} (scope @{name}), owner {owner}")


@command.command("add-member")
@click.argument("org")
@click.argument("username")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["owner", "publisher", "reader"]),
    help="The member's role in the org.",
)
@database_url_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def add_member(org: str, username: str, role: str, database_url: str | None, as_json: bool) -> None:
    """Add a user to an org, or change their role."""
    from tank.server.admin import add_member as run_add_member

    result = run_add_member(_settings(database_url), org, username, role=role)
    if as_json:
        print_json(result)
    else:
        verb = "added" if result["added"] else "set"
        click.echo(f"{verb} {username} as {result['role']} of {org}")


@command.command("create-token")
@click.argument("username")
@click.option("--scopes", default="read", show_default=True, help="Comma list: read,publish,admin.")
@click.option("--expires-in-days", type=click.IntRange(1, 3650), help="Lifetime in days.")
@click.option("--restrict-to", help="Comma list of @scope or @scope/skill the token may touch.")
@click.option("--name", default="", help="A label for the token.")
@database_url_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def create_token(
    username: str,
    scopes: str,
    expires_in_days: int | None,
    restrict_to: str | None,
    name: str,
    database_url: str | None,
    as_json: bool,
) -> None:
    """Create an API token for a user. The secret is printed once: store it now."""
    from tank.server.admin import create_token as run_create_token

    result = run_create_token(
        _settings(database_url),
        username,
        scopes=_csv(scopes),
        expires_in_days=expires_in_days,
        restrict_to=_csv(restrict_to),
        name=name,
    )
    if as_json:
        print_json(result)
        return
    click.echo(result["token"])
    click.echo(
        f"token {result['id']} for {username}: scopes {','.join(result['scopes'])}, "
        f"expires {result['expires_at'] or 'never'} (the secret above is shown only once)",
        err=True,
    )


@command.command("gc")
@click.option(
    "--grace-seconds",
    default=3600,
    show_default=True,
    type=click.IntRange(0),
    help="Keep unreferenced blobs and partial uploads younger than this (in flight).",
)
@click.option("--dry-run", is_flag=True, help="Only list what would be removed.")
@database_url_option
@storage_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def gc(
    grace_seconds: int,
    dry_run: bool,
    database_url: str | None,
    storage: Path | None,
    as_json: bool,
) -> None:
    """Delete stored tarballs no published version references, and partial uploads."""
    from tank.server.admin import collect_garbage

    result = collect_garbage(
        _settings(database_url, storage), grace_seconds=grace_seconds, dry_run=dry_run
    )
    if as_json:
        print_json(result)
        return
    verb = "would remove" if dry_run else "removed"
    for key in result["removed"]:
        click.echo(f"{verb} {key}")
    click.echo(f"{verb} {len(result['removed'])} blob(s), kept {result['kept']}")


def _flag_command(name: str, flag: str, what: str) -> None:
    @command.command(name, help=f"Make a user {what} (or, with --revoke, no longer).")
    @click.argument("username")
    @click.option("--revoke", is_flag=True, help=f"Take the {flag} flag away instead.")
    @database_url_option
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
    def run(username: str, revoke: bool, database_url: str | None, as_json: bool) -> None:
        from tank.server.admin import set_user_flag

        result = set_user_flag(_settings(database_url), username, flag, granted=not revoke)
        if as_json:
            print_json(result)
            return
        state = "no longer" if revoke else "now"
        suffix = "" if result["changed"] else " (unchanged)"
        click.echo(f"{username} is {state} {what}{suffix}")


_flag_command("grant-reviewer", "reviewer", "a verified reviewer")
_flag_command("verify-publisher", "verified", "a verified publisher")


@command.command("disable-user")
@click.argument("username")
@click.option("--enable", is_flag=True, help="Enable the account again (old tokens stay revoked).")
@database_url_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def disable_user(username: str, enable: bool, database_url: str | None, as_json: bool) -> None:
    """Disable an account (tokens revoked, logins refused, skills kept and served)."""
    from tank.server.admin import set_user_disabled

    result = set_user_disabled(_settings(database_url), username, disabled=not enable)
    if as_json:
        print_json(result)
        return
    if enable:
        state = "enabled" if result["changed"] else "already enabled"
        click.echo(f"{username} is {state}; they log in again for new tokens")
        return
    state = "disabled" if result["changed"] else "already disabled"
    click.echo(f"{username} is {state}: {result['tokens_revoked']} token(s) revoked, skills kept")


@command.command("rescan")
@click.argument("target", required=False)
@click.option("--all", "every", is_flag=True, help="Rescan every live version of every skill.")
@database_url_option
@storage_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def rescan(
    target: str | None, every: bool, database_url: str | None, storage: Path | None, as_json: bool
) -> None:
    """Re-run the scanner on stored versions (NAME or NAME@VERSION, or --all).

    A version the new scan fails is quarantined: never served again, and `latest` moves off it.
    """
    from tank.server.admin import rescan as run_rescan

    result = run_rescan(_settings(database_url, storage), target, every=every)
    if as_json:
        print_json(result)
        return
    for change in result["changed"]:
        before, after = change["before"], change["after"]
        click.echo(
            f"{change['name']}@{change['version']}: {before['verdict']} {before['audit_score']}"
            f" -> {after['verdict']} {after['audit_score']}"
        )
    for failure in result["errors"]:
        click.echo(f"{failure['name']}@{failure['version']}: not scanned: {failure['error']}")
    click.echo(
        f"scanned {result['scanned']}, changed {len(result['changed'])}, "
        f"quarantined {len(result['quarantined'])}"
        + (f", errors {len(result['errors'])}" if result["errors"] else "")
    )


def _add_log_commands() -> None:
    from tank.cli.cmd_registry_import import command as import_command
    from tank.cli.cmd_registry_log import keys, log

    command.add_command(keys)
    command.add_command(log)
    command.add_command(import_command)


_add_log_commands()
