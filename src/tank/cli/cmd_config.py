"""``tank config``: the user's settings (npm-style keys ``registry`` and ``@scope:registry``)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from tank.cli.render import print_json

if TYPE_CHECKING:
    from tank.client.config import UserConfig

EPILOG = """\b
Examples:
  tank config set registry https://tank.example.com
  tank config set @corp:registry https://tank.corp.internal
  tank config get registry
  tank config list               # effective values and where each comes from
  tank config delete @corp:registry
"""

JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")


@click.group(epilog=EPILOG)
def command() -> None:
    """Get, set, delete and list client settings.

    `registry` is the default registry; `@scope:registry` the registry of one scope. Only
    https URLs are accepted (plain http for localhost only). TANK_REGISTRY in the environment
    overrides `registry`; a project's skills.json `registries` overrides both per scope.
    """


def effective(config: UserConfig, key: str) -> tuple[str, str]:
    """``(value, source)`` of ``key`` as Tank would use it right now."""
    from tank.client.config import DEFAULT_REGISTRY

    value = config.get(key)
    if key != "registry":
        if value:
            return value, str(config.path)
        default, source = effective(config, "registry")
        return default, f"default registry ({source})"
    env = os.environ.get("TANK_REGISTRY")
    if env:
        return env, "environment TANK_REGISTRY"
    if value:
        return value, str(config.path)
    return DEFAULT_REGISTRY, "built-in default"


@command.command("get")
@click.argument("key")
@JSON_OPTION
def get(key: str, as_json: bool) -> None:
    """Print the effective value of KEY."""
    from tank.client.config import check_key, load_config

    check_key(key)
    value, source = effective(load_config(), key)
    if as_json:
        print_json({"key": key, "value": value, "source": source})
    else:
        click.echo(value)


@command.command("set")
@click.argument("key")
@click.argument("value")
def set_(key: str, value: str) -> None:
    """Set KEY to the registry URL VALUE in the user config."""
    from tank.client.config import UserConfig, check_key, check_url, load_config, save_config

    check_key(key)
    url = check_url(value, what=key)
    config = load_config()
    save_config(UserConfig({**config.values, key: url}, config.path))
    click.echo(f"{key} = {url} (in {config.path})")
    if key == "registry" and os.environ.get("TANK_REGISTRY"):
        click.echo("note: TANK_REGISTRY is set in the environment and wins over this", err=True)


@command.command("delete")
@click.argument("key")
def delete(key: str) -> None:
    """Remove KEY from the user config."""
    from tank.client.config import UserConfig, check_key, load_config, save_config

    check_key(key)
    config = load_config()
    if key not in config.values:
        click.echo(f"{key} is not set in {config.path}")
        return
    values = {k: v for k, v in config.values.items() if k != key}
    save_config(UserConfig(values, config.path))
    click.echo(f"deleted {key} from {config.path}")


@command.command("list")
@JSON_OPTION
def list_(as_json: bool) -> None:
    """Show every setting's effective value and where it comes from."""
    from tank.client.config import load_config

    config = load_config()
    keys = ["registry", *sorted(k for k in config.values if k != "registry")]
    rows = [(key, *effective(config, key)) for key in keys]
    if as_json:
        settings = [{"key": k, "value": v, "source": s} for k, v, s in rows]
        print_json({"config_file": str(config.path), "settings": settings})
        return
    width = max(len(k) for k, _, _ in rows)
    for key, value, source in rows:
        click.echo(f"{key.ljust(width)} = {value}  ({source})")
