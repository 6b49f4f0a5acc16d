"""``tank login``: get a token from a registry (password or existing token) and store it."""

from __future__ import annotations

import os
import sys

import click

from tank.cli.render import print_json

EPILOG = """\b
Examples:
  tank login                                   # prompts for username and password
  tank login --registry https://tank.example.com
  echo "$PASSWORD" | tank login -u alice --password-stdin
  echo "$TANK_PUBLISH_TOKEN" | tank login --token-stdin
  tank login --token tank_...                  # visible in `ps` and history: prefer stdin
"""


def _read_stdin(what: str) -> str:
    from tank.core.errors import UsageError

    if sys.stdin.isatty():
        raise UsageError(
            f"--{what}-stdin reads the {what} from standard input, which is a terminal",
            code="login_stdin",
            hint=f'pipe it in: `echo "$SECRET" | tank login --{what}-stdin ...`',
        )
    value = sys.stdin.read().rstrip("\r\n")
    if not value:
        raise UsageError(f"no {what} on standard input", code="login_stdin")
    return value


def _need(what: str, flag: str) -> Exception:
    from tank.core.errors import UsageError

    return UsageError(
        f"no {what} given and standard input is not a terminal to ask for it",
        code="login_credentials",
        hint=f"pass {flag} (or --token-stdin with an existing token)",
    )


@click.command(epilog=EPILOG)
@click.option("--registry", metavar="URL", help="Registry to log in to (default: the configured).")
@click.option("-u", "--username", help="Your username on the registry.")
@click.option("-p", "--password", help="Your password (prefer --password-stdin or the prompt).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--token", help="Store an existing token instead (checked with the registry).")
@click.option("--token-stdin", is_flag=True, help="Read an existing token from standard input.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (never the token).")
def command(
    registry: str | None,
    username: str | None,
    password: str | None,
    password_stdin: bool,
    token: str | None,
    token_stdin: bool,
    as_json: bool,
) -> None:
    """Log in to a registry and store the token it gives.

    With a username and password, the registry mints a read+publish token named after this
    machine; with --token, the token is checked (GET /v1/whoami) before it is stored. Tokens
    go to the system keyring when one works, else to a 0600 file in the config folder; the
    token is never printed. TANK_TOKEN in the environment overrides stored tokens (CI).
    """
    from tank.client.account import login_with_password, login_with_token, registry_url
    from tank.core.errors import UsageError

    url = registry_url(registry)
    if token_stdin:
        token = _read_stdin("token")
    if token is not None:
        if username or password or password_stdin:
            raise UsageError(
                "give either a token or a username and password, not both",
                code="login_credentials",
            )
        result = login_with_token(url, token)
    else:
        if password_stdin:
            password = _read_stdin("password")
        elif password is not None and sys.stderr.isatty():
            click.echo(
                "warning: a password on the command line shows in `ps` and shell history; "
                "use --password-stdin",
                err=True,
            )
        interactive = sys.stdin.isatty()
        if username is None:
            if not interactive:
                raise _need("username", "--username and --password-stdin")
            username = click.prompt("Username", err=True)
        if password is None:
            if not interactive:
                raise _need("password", "--password-stdin")
            password = click.prompt("Password", hide_input=True, err=True)
        result = login_with_password(url, username, password)
    if as_json:
        print_json(result.as_dict())
        return
    click.echo(
        f"Logged in to {result.registry} as {result.username} (token stored in {result.stored_in})"
    )
    if os.environ.get("TANK_TOKEN"):
        click.echo(
            "note: TANK_TOKEN is set in the environment and wins over the stored token", err=True
        )
