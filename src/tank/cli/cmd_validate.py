"""``tank validate``: check a skill folder (or a project's skills.json) against the formats."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from tank.cli.render import print_json, problem_counts, render_problems

if TYPE_CHECKING:
    from tank.core.errors import Report

EPILOG = """\b
Examples:
  tank validate                  # the folder you are in
  tank validate ./my-skill       # strict, as `tank publish` will check it
  tank validate --lenient ./vendor/some-skill
  tank validate --json ./my-skill | jq .problems
"""


@click.command(epilog=EPILOG)
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("--lenient", is_flag=True, help="Read as an installer would: warn, do not fail.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def command(directory: Path, lenient: bool, as_json: bool) -> None:
    """Check a skill folder or a project against Tank's formats.

    A folder with a SKILL.md is a skill: SKILL.md and skills.json are checked strictly (as
    publishing will) unless --lenient, and the folder must pack (no symlinks, within limits).
    A folder with only skills.json is a project. Exits 3 when there is any error.
    """
    from tank.client.local import is_skill_folder, read_project, read_skill, require_valid
    from tank.core.skillmd import Mode

    mode = Mode.LENIENT if lenient else Mode.STRICT
    if is_skill_folder(directory):
        skill = read_skill(directory, mode=mode)
        manifest = skill.package.manifest if skill.package else None
        name = manifest.name if manifest and manifest.name else _skill_name(skill.package)
        version = str(manifest.version) if manifest and manifest.version else None
        kind, report = "skill", skill.report
        files: int | None = len(skill.packed.files)
    else:
        project, report = read_project(directory, mode=mode)
        kind, name, version, files = "project", project.name if project else None, None, None
    _render(report, kind=kind, name=name, version=version, files=files, as_json=as_json)
    if not as_json:
        require_valid(report, f"{kind} {name or directory}")
    elif not report.ok:
        from tank.cli.exit_codes import ExitCode

        raise click.exceptions.Exit(ExitCode.INVALID)


def _skill_name(package: object) -> str | None:
    skill = getattr(package, "skill", None)
    return getattr(skill, "name", None)


def _render(
    report: Report,
    *,
    kind: str,
    name: str | None,
    version: str | None,
    files: int | None,
    as_json: bool,
) -> None:
    errors, warnings = problem_counts(report.problems)
    if as_json:
        print_json(
            {
                "valid": report.ok,
                "kind": kind,
                "name": name,
                "version": version,
                "files": files,
                "errors": errors,
                "warnings": warnings,
                "problems": [p.as_dict() for p in report.problems],
            }
        )
        return
    render_problems(report.warnings)
    if report.ok:
        label = f"{name}@{version}" if version else (name or kind)
        extra = f", {files} files" if files is not None else ""
        click.echo(f"ok: {kind} {label} is valid ({warnings} warnings{extra})")
