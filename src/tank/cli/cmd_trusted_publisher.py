"""``tank trusted-publisher add|list|remove|exchange``: CI identities that may publish."""

from __future__ import annotations

from typing import Any

import click

from tank.cli.render import print_json

EPILOG = """\b
Examples:
  tank trusted-publisher add @acme/pdf --repository acme/pdf-tools \\
      --workflow release.yml --environment release
  tank trusted-publisher list --json
  tank trusted-publisher remove 3
  # in the CI job (GitHub Actions, permissions: id-token: write):
  TANK_TOKEN=$(tank trusted-publisher exchange @acme/pdf) tank publish
"""

GITHUB_ISSUER = "https://token.actions.githubusercontent.com"
_registry = click.option("--registry", metavar="URL", help="Registry (default: the configured).")
_json = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")


@click.group(epilog=EPILOG)
def command() -> None:
    """Manage the CI identities (trusted publishers) allowed to publish a skill or scope.

    A trusted publisher is an OIDC issuer, a repository, a workflow file and optionally a
    deployment environment. A CI job with that identity exchanges its OIDC token for a
    token that publishes that one skill for a few minutes; its versions carry SLSA
    provenance signed by the registry. Only an owner of the scope may manage them.
    """


def _line(p: dict[str, Any]) -> str:
    env = f" environment {p['environment']}" if p.get("environment") else ""
    return (
        f"{p.get('id')}  {p.get('target')}  {p.get('repository')} "
        f".github/workflows/{p.get('workflow')}{env}  ({p.get('issuer')})"
    )


def _url(registry: str | None) -> str:
    from tank.client.account import registry_url

    return registry_url(registry)


@command.command("add")
@click.argument("target")
@click.option("--repository", required=True, metavar="OWNER/REPO", help="The CI repository.")
@click.option("--workflow", required=True, metavar="FILE", help="Workflow file, e.g. release.yml.")
@click.option("--environment", metavar="NAME", help="Required deployment environment.")
@click.option("--issuer", default=GITHUB_ISSUER, show_default=True, help="OIDC issuer URL.")
@_registry
@_json
def add(
    target: str,
    repository: str,
    workflow: str,
    environment: str | None,
    issuer: str,
    registry: str | None,
    as_json: bool,
) -> None:
    """Let a CI identity publish TARGET (@scope/name, or @scope for every skill in it)."""
    from tank.client import trusted

    fields = {
        "target": target,
        "issuer": issuer,
        "repository": repository,
        "workflow": workflow,
        "environment": environment,
    }
    row = trusted.add(_url(registry), fields)
    if as_json:
        print_json(row)
    else:
        click.echo(f"added {_line(row)}")


@command.command("list")
@click.argument("target", required=False)
@_registry
@_json
def list_(target: str | None, registry: str | None, as_json: bool) -> None:
    """List the trusted publishers of TARGET's scope (default: every scope you own)."""
    from tank.client import trusted

    found = trusted.listing(_url(registry), target)
    if as_json:
        print_json({"trusted_publishers": found})
        return
    if not found:
        click.echo("no trusted publishers")
    for row in found:
        click.echo(_line(row))


@command.command("remove")
@click.argument("publisher_id", type=click.IntRange(1, 2**31 - 1))
@_registry
@_json
def remove(publisher_id: int, registry: str | None, as_json: bool) -> None:
    """Remove a trusted publisher (its outstanding short-lived tokens are revoked)."""
    from tank.client import trusted

    row = trusted.remove(_url(registry), publisher_id)
    if as_json:
        print_json(row)
    else:
        click.echo(f"removed {_line(row)}")


@command.command("exchange")
@click.argument("skill")
@click.option(
    "--audience",
    default="tank",
    show_default=True,
    help="Audience to request the OIDC token for (the registry's oidc_audience).",
)
@_registry
@_json
def exchange(skill: str, audience: str, registry: str | None, as_json: bool) -> None:
    """In CI: exchange the job's OIDC token for a short-lived token publishing SKILL.

    The OIDC token is TANK_OIDC_TOKEN, else requested from GitHub Actions. Prints the new
    token alone (for TANK_TOKEN=$(...)), or with --json the whole answer.
    """
    from tank.client import trusted

    answer = trusted.exchange(_url(registry), skill, trusted.ci_oidc_token(audience))
    if as_json:
        print_json(answer)
    else:
        click.echo(str(answer.get("token", "")))
