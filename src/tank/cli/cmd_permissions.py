"""``tank permissions``: what a project allows (its budget) or what a skill asks for."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tank.cli.render import print_json

if TYPE_CHECKING:
    from tank.core.permissions import Permissions

EPILOG = """\b
Examples:
  tank permissions                 # in a project: the budget, and what installed skills need
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
    locked = _locked_union(directory, perms if declared else None) if kind == "project" else None
    if as_json:
        out = {
            "kind": kind,
            "name": name,
            "declared": declared,
            "dangerous": perms.is_dangerous,
            "permissions": perms.to_json(),
        }
        if locked is not None:
            out["locked"] = locked
        print_json(out)
        return
    title = "permission budget" if kind == "project" else "declared permissions"
    click.echo(f"{kind} {name or directory}: {title}")
    if kind == "project" and not declared:
        click.echo("  (no budget declared: add a `permissions` object to skills.json to set one)")
    for line in describe(perms):
        click.echo(f"  {line}")
    if locked is not None:
        from tank.core.permissions import parse_permissions

        union, _ = parse_permissions(locked["permissions"])
        click.echo(f"locked skills ({locked['skills']}) need, together:")
        for line in describe(union):
            click.echo(f"  {line}")
        click.echo(f"budget check: {locked['budget_check']}")
        for violation in locked["violations"]:
            click.echo(f"  ✗ {violation['skill']} needs {violation['permission']} "
                       f"{violation['requested']}: {violation['why']}")  # fmt: skip


def _locked_union(directory: Path, budget: Permissions | None) -> dict[str, Any] | None:
    """The union of the locked skills' permissions, checked against the budget now."""
    from tank.core.lockfile import parse_lockfile
    from tank.core.permissions import check_budget

    path = directory / "skills.lock"
    if not path.is_file():
        return None
    lock = parse_lockfile(path.read_text(encoding="utf-8"), file=str(path))
    violations = []
    if budget is not None:
        asked = {s.key: s.meta.permissions for s in lock.skills}
        violations = [v.as_dict() for v in check_budget(budget, asked)]
    check = "no_budget" if budget is None else ("fail" if violations else "pass")
    return {
        "skills": len(lock.skills),
        "permissions": lock.resolved_permissions.to_json(),
        "budget_check": check,
        "violations": violations,
    }


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
