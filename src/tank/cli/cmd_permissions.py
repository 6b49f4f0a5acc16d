"""``tank permissions``: what a project allows (its budget) or what a skill asks for."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from tank.cli.render import print_json

if TYPE_CHECKING:
    from tank.core.permissions import Permissions

EPILOG = """\b
Examples:
  tank permissions                 # in a project: the permission budget
  tank permissions ./my-skill      # a skill: what it declares
  tank permissions --json
"""


@click.command(epilog=EPILOG)
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def command(directory: Path, as_json: bool) -> None:
    """Show a project's permission budget, or the permissions a skill declares.

    For a project, `permissions` in skills.json is the budget: the ceiling every installed
    skill must fit in. A project that declares no budget is shown as such; nothing is
    granted by omission.
    """
    from tank.client.local import is_skill_folder, read_project, read_skill, require_valid
    from tank.core.skillmd import Mode

    if is_skill_folder(directory):
        skill = read_skill(directory, mode=Mode.LENIENT)
        require_valid(skill.report, f"skill {directory}")
        manifest = skill.package.manifest if skill.package else None
        kind, declared = "skill", manifest is not None and "permissions" in manifest.raw
        name = manifest.name if manifest else (skill.package.skill.name if skill.package else None)
    else:
        manifest, report = read_project(directory)
        require_valid(report, f"project {directory}")
        assert manifest is not None
        kind, name, declared = "project", manifest.name, "permissions" in manifest.raw
    from tank.core.permissions import Permissions

    perms = manifest.permissions if manifest else Permissions.none()
    if as_json:
        print_json(
            {
                "kind": kind,
                "name": name,
                "declared": declared,
                "dangerous": perms.is_dangerous,
                "permissions": perms.to_json(),
            }
        )
        return
    title = "permission budget" if kind == "project" else "declared permissions"
    click.echo(f"{kind} {name or directory}: {title}")
    if kind == "project" and not declared:
        click.echo("  (no budget declared: add a `permissions` object to skills.json to set one)")
    for line in describe(perms):
        click.echo(f"  {line}")


def describe(perms: Permissions) -> list[str]:
    """Human lines for a permission set; dangerous grants are marked."""
    out: list[str] = []
    if perms.outbound:
        out.append(f"network.outbound  {', '.join(perms.outbound)}   [dangerous]")
    if perms.inbound:
        out.append("network.inbound   yes   [dangerous]")
    if perms.max_requests_per_minute is not None:
        out.append(f"network.rate      {perms.max_requests_per_minute} requests/minute")
    if perms.filesystem.read:
        out.append(f"filesystem.read   {', '.join(perms.filesystem.read)}")
    if perms.filesystem.write:
        out.append(f"filesystem.write  {', '.join(perms.filesystem.write)}")
    if perms.subprocess:
        out.append("subprocess        yes   [dangerous]")
    if perms.secrets:
        out.append(f"secrets           {', '.join(perms.secrets)}")
    return out or ["nothing (no network, no files, no subprocess, no secrets)"]
