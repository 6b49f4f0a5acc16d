"""``tank registry …``: run and administer a Tank registry server."""

from __future__ import annotations

from pathlib import Path

import click

from tank.cli.render import print_json

EPILOG = """\b
Examples:
  tank registry serve                                   # SQLite + ./tank-registry/ on :8800
  tank registry serve --port 8800 --workers 4 \\
      --database-url postgresql://root@127.0.0.1:5432/tank --storage /srv/tank/blobs
  tank registry create-user alice --password 's3cret-pw' --database-url sqlite:///reg.db
  tank registry migrate --database-url postgresql://root@127.0.0.1:5432/tank
"""

DB_HELP = "SQLAlchemy URL of the database (env TANK_REGISTRY_DATABASE_URL)."


def _db_option() -> click.Option:
    return click.Option(["--database-url"], envvar="TANK_REGISTRY_DATABASE_URL", help=DB_HELP)


@click.group(epilog=EPILOG)
def command() -> None:
    """Run and administer a Tank registry (SQLite + a local folder by default)."""


@command.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8800, show_default=True, type=int, help="Port to listen on.")
@click.option("--database-url", envvar="TANK_REGISTRY_DATABASE_URL", help=DB_HELP)
@click.option(
    "--storage",
    type=click.Path(path_type=Path, file_okay=False),
    envvar="TANK_REGISTRY_STORAGE",
    help="Folder for tarballs (env TANK_REGISTRY_STORAGE).",
)
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
@click.option("--database-url", envvar="TANK_REGISTRY_DATABASE_URL", help=DB_HELP)
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
@click.option("--database-url", envvar="TANK_REGISTRY_DATABASE_URL", help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def create_user(
    username: str,
    password: str,
    admin: bool,
    verified: bool,
    database_url: str | None,
    as_json: bool,
) -> None:
    """Create a user account (its name is also its personal scope)."""
    from tank.server.admin import create_user as run_create_user
    from tank.server.settings import load_settings

    url = load_settings(None, database_url=database_url).database_url
    user_id = run_create_user(url, username, password, admin=admin, verified=verified)
    if as_json:
        print_json({"id": user_id, "username": username, "admin": admin})
    else:
        click.echo(f"created user {username}" + (" (admin)" if admin else ""))
