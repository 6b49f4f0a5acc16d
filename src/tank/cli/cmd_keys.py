"""``tank keys``: make, register, list and revoke the Ed25519 keys publishes are signed with."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from tank.cli.render import print_json

EPILOG = """\b
Examples:
  tank keys generate --name laptop     # private key to the keyring (else a 0600 file)
  tank keys add                        # register the newest local key on your account
  tank keys list                       # local and registered keys, revoked ones marked
  tank keys list --pem                 # the local public keys, to share or `keys add --key`
  tank keys revoke 3f2a9c1e            # a fingerprint (or 8+ characters of it)
"""

_REGISTRY = click.option(
    "--registry", metavar="URL", help="Registry of the account (default: the configured)."
)
_JSON = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")


@click.group(epilog=EPILOG)
def command() -> None:
    """Make, register, list and revoke your publisher signing keys.

    `tank publish` signs every upload with your newest local key (DSSE envelope over an
    in-toto Statement naming the tarball's SHA-512); the registry accepts the signature only
    from a key registered to your account and not revoked, and installs verify it again.
    """


@command.command()
@click.option("--name", default="", help="A label for the key (this machine's name, say).")
@click.option(
    "--passphrase",
    "ask",
    is_flag=True,
    help="Encrypt the private key with a passphrase (prompted; or TANK_KEY_PASSPHRASE).",
)
@_JSON
def generate(name: str, ask: bool, as_json: bool) -> None:
    """Create an Ed25519 key pair; the private key never leaves this machine.

    The private key goes to the system keyring when one works, else to a 0600 file in the
    config folder. With TANK_KEY_PASSPHRASE set (or --passphrase), it is encrypted.
    """
    from tank.client import keystore
    from tank.core.errors import UsageError

    passphrase = os.environ.get(keystore.PASSPHRASE_ENV) or None
    if ask and passphrase is None:
        if not sys.stdin.isatty():
            raise UsageError(
                "--passphrase asks on the terminal, and standard input is not one",
                code="key_passphrase",
                hint=f"set {keystore.PASSPHRASE_ENV} instead",
            )
        passphrase = click.prompt(
            "Key passphrase", hide_input=True, confirmation_prompt=True, err=True
        )
    key = keystore.generate(name, passphrase)
    if as_json:
        print_json(key.as_dict())
        return
    where = "the system keyring" if key.storage == "keyring" else str(keystore.keys_dir())
    locked = ", passphrase-protected" if key.encrypted else ""
    click.echo(f"created key {key.keyid}{locked} (private key in {where})")
    click.echo("register it on your account with `tank keys add`")


@command.command()
@click.option(
    "--key",
    "key_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A public key file (PEM or key JSON) instead of the newest local key.",
)
@click.option("--name", default=None, help="A label for the key on the registry.")
@_REGISTRY
@_JSON
def add(key_file: Path | None, name: str | None, registry: str | None, as_json: bool) -> None:
    """Register a public key on your account, so publishes signed with it are accepted."""
    from tank.client import keystore
    from tank.client.account import registry_url
    from tank.client.publisher_keys import public_key_text, register

    public, text = public_key_text(key_file)
    if name is None:
        local = {k.keyid: k.name for k in keystore.local_keys()}
        name = local.get(public.keyid, "")
    url = registry_url(registry)
    answer = register(url, text, name)
    if as_json:
        print_json(answer)
        return
    click.echo(f"registered key {answer.get('keyid', public.keyid)} on {url}")


@command.command("list")
@click.option("--local", "local_only", is_flag=True, help="Only the keys on this machine.")
@click.option("--pem", is_flag=True, help="Print the local public keys as PEM blocks.")
@_REGISTRY
@_JSON
def list_(local_only: bool, pem: bool, registry: str | None, as_json: bool) -> None:
    """List your keys: on this machine and on the registry, revoked ones marked."""
    from tank.client import keystore
    from tank.client.account import registry_url
    from tank.client.credentials import token_for
    from tank.client.publisher_keys import merged, registered
    from tank.core.publisher_sig import public_pem

    local = keystore.local_keys()
    if pem:
        for key in local:
            click.echo(f"# {key.keyid} {key.name}".rstrip())
            click.echo(public_pem(key.public), nl=False)
        return
    url = registry_url(registry)
    asked = not local_only and token_for(url) is not None
    rows = merged(local, registered(url) if asked else [])
    if as_json:
        print_json({"registry": url if asked else None, "keys": [r.as_dict() for r in rows]})
        return
    if not rows:
        click.echo("no keys: create one with `tank keys generate`")
    for row in rows:
        marks = [
            "local" + (f" ({row.local.storage})" if row.local else "") if row.local else "",
            "registered" if row.remote is not None else ("" if not asked else "not registered"),
            "REVOKED" if row.revoked else "",
        ]
        label = f"  {row.name}" if row.name else ""
        click.echo(f"{row.keyid}{label}  [{', '.join(m for m in marks if m)}]")
    if not asked and not local_only:
        click.echo(f"(not logged in to {url}: registered keys not shown)", err=True)


@command.command()
@click.argument("fingerprint")
@_REGISTRY
@_JSON
def revoke(fingerprint: str, registry: str | None, as_json: bool) -> None:
    """Revoke a registered key: versions it signed are no longer trusted. Final."""
    from tank.client.account import registry_url
    from tank.client.publisher_keys import revoke as revoke_key

    url = registry_url(registry)
    answer = revoke_key(url, fingerprint)
    if as_json:
        print_json(answer)
        return
    click.echo(f"revoked key {answer.get('keyid', fingerprint)} on {url}")
    click.echo(
        "installs now refuse versions signed with it; publish new versions signed with another key"
    )
