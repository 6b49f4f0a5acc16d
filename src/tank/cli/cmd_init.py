"""``tank init``: create skills.json (and SKILL.md for a new skill) with sensible defaults."""

from __future__ import annotations

import getpass
import json
import re
import sys
from pathlib import Path

import click

from tank.cli.render import print_json
from tank.core.errors import TankError, UsageError
from tank.core.scopes import suggested_scope

EPILOG = """\b
Examples:
  tank init                         # asks; a skill if SKILL.md is here, else a project
  tank init --yes                   # no questions, defaults everywhere
  tank init --skill --scope acme --description "Fill PDF forms" --yes
  tank init --project --yes
  tank init --from skill.yaml --scope acme   # import a phase-1 skill.yaml (+ skillrt frontmatter)
"""


def slug(text: str) -> str:
    """A valid skill/scope name made from ``text`` (lower case, ``a-z 0-9 -``)."""
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return re.sub(r"-{2,}", "-", out)[:64].strip("-") or "my-skill"


@click.command(epilog=EPILOG)
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("--skill", "kind", flag_value="skill", help="Create a skill package manifest.")
@click.option("--project", "kind", flag_value="project", help="Create a project manifest.")
@click.option("--name", help="Skill name (a-z 0-9 -) or project name. Default: the folder name.")
@click.option("--scope", help="Publisher scope for a skill (the @scope of @scope/name).")
@click.option("--version", "version", default="0.1.0", show_default=True, help="First version.")
@click.option("--description", help="One line saying what the skill does and when to use it.")
@click.option("--license", "license_", help="SPDX license id, e.g. MIT.")
@click.option("-y", "--yes", is_flag=True, help="Accept every default; never prompt.")
@click.option("--force", is_flag=True, help="Overwrite an existing skills.json.")
@click.option(
    "--from",
    "from_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Import a skill.yaml (and skillrt's structured SKILL.md frontmatter) into skills.json.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the created files as JSON.")
def command(
    directory: Path,
    from_file: Path | None,
    kind: str | None,
    name: str | None,
    scope: str | None,
    version: str,
    description: str | None,
    license_: str | None,
    yes: bool,
    force: bool,
    as_json: bool,
) -> None:
    """Create skills.json for a new skill or a project.

    In a folder holding SKILL.md the default is a skill manifest named @scope/<SKILL.md name>;
    elsewhere a project manifest with an empty permission budget (nothing allowed until you
    widen it). Asks on a terminal unless --yes; never overwrites without --force.
    """
    from tank.client.local import MANIFEST, SKILL_MD

    directory.mkdir(parents=True, exist_ok=True)
    target = directory / MANIFEST
    if target.exists() and not force:
        raise UsageError(
            f"{target} already exists",
            code="manifest_exists",
            hint="edit it, or pass --force to replace it",
        )
    if from_file is not None:
        _import(directory, from_file, scope, as_json)
        return
    interactive = not yes and sys.stdin.isatty()
    skill_md = directory / SKILL_MD
    existing = _read_skill_md(skill_md) if skill_md.is_file() else None
    if kind is None:
        kind = "skill" if existing else "project"
        if interactive:
            kind = click.prompt("Create a", type=click.Choice(["skill", "project"]), default=kind)
    folder = directory.resolve().name
    created: list[str] = []
    if kind == "skill":
        skill_name = name or (existing[0] if existing else slug(folder))
        description = description or (existing[1] if existing else None)
        if interactive:
            skill_name = click.prompt("Skill name", default=skill_name)
            # Suggest only a scope you can publish into (the logged-in user's); else no
            # default, so the prompt asks. Never a reserved name (it suggested root once).
            suggestion = scope or suggested_scope([_logged_in_user()])
            scope = str(click.prompt("Scope", default=suggestion))
            description = click.prompt(
                "Description", default=description or f"The {skill_name} skill."
            )
        else:
            scope = scope or default_scope(_logged_in_user(), getpass.getuser())
        description = description or f"The {skill_name} skill."
        skill_md_text = _skill_md_template(skill_name, description)
        data: dict[str, object] = {"name": f"@{scope.lstrip('@')}/{skill_name}", "version": version}
        data["description"] = description
        if license_:
            data["license"] = license_
        data |= {"skills": {}, "permissions": {}}
    else:
        project_name = name or slug(folder)
        if interactive:
            project_name = click.prompt("Project name", default=project_name)
        # No budget yet: the first install records what its skills need (README "Client").
        data = {"name": project_name, "skills": {}}
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    _check(text, kind)  # before anything is written: a refusal leaves the folder as it was
    if kind == "skill" and existing is None:
        skill_md.write_text(skill_md_text, encoding="utf-8")
        created.append(str(skill_md))
    target.write_text(text, encoding="utf-8")
    created.append(str(target))
    if as_json:
        print_json({"kind": kind, "created": created, "manifest": data})
        return
    for path in created:
        click.echo(f"created {path}")
    if kind == "skill":
        click.echo("next: write SKILL.md, declare permissions, then `tank validate`")
    else:
        click.echo(
            "next: `tank install @scope/name` (what it needs becomes the project's permission"
            " budget; later installs needing more are refused until you widen it)"
        )


def _import(directory: Path, source: Path, scope: str | None, as_json: bool) -> None:
    """``tank init --from skill.yaml``: convert, validate, then write skills.json (and a
    SKILL.md when the folder has none)."""
    from tank.client.local import MANIFEST, SKILL_MD
    from tank.core.frontmatter import read_frontmatter
    from tank.core.skillyaml import import_manifest, load_skill_yaml

    loaded = load_skill_yaml(source.read_bytes(), file=str(source))
    skill_md = directory / SKILL_MD
    front = {}
    if skill_md.is_file():
        text = skill_md.read_text(encoding="utf-8", errors="replace")
        front = read_frontmatter(text, file=str(skill_md), lenient=True)[0].values
    name = loaded.get("name", front.get("name"))
    if scope is None and not loaded.get("scope") and not str(name or "").startswith("@"):
        scope = default_scope(_logged_in_user(), getpass.getuser())
    imported = import_manifest(loaded, front, scope=scope, file=str(source))
    data = imported.manifest
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    _check(text, "skill")
    created = []
    if not skill_md.is_file():
        short = data["name"].split("/", 1)[1]
        skill_md.write_text(
            _skill_md_template(short, data.get("description") or f"The {short} skill."),
            encoding="utf-8",
        )
        created.append(str(skill_md))
    (directory / MANIFEST).write_text(text, encoding="utf-8")
    created.append(str(directory / MANIFEST))
    if as_json:
        print_json({"kind": "skill", "created": created, "manifest": data, "notes": imported.notes})
        return
    for path in created:
        click.echo(f"created {path} (from {source})")
    for note in imported.notes:
        click.echo(f"note: {note}")


def default_scope(logged_in: str | None, os_user: str | None = None) -> str:
    """The scope to suggest: the logged-in user's, else the OS user's; never a reserved one.

    Raises :class:`UsageError` when neither is usable (``root`` is reserved, for one).
    """
    found = suggested_scope([logged_in, slug(os_user) if os_user else None])
    if found is None:
        raise UsageError(
            "no scope to suggest: you are not logged in"
            + (f" and @{slug(os_user)} is a reserved name" if os_user else ""),
            code="init_no_scope",
            hint="pass --scope NAME (your username on the registry, or an org you publish "
            "for), or run `tank login` first",
        )
    return found


def _logged_in_user() -> str | None:
    from tank.client.account import logged_in_username, registry_url

    try:
        return logged_in_username(registry_url())
    except TankError:
        return None  # a broken registry config is not this command's concern


def _read_skill_md(path: Path) -> tuple[str, str | None] | None:
    from tank.core.skillmd import Mode, parse_skill_md

    doc, _ = parse_skill_md(path.read_text(encoding="utf-8", errors="replace"), mode=Mode.LENIENT)
    return (slug(doc.name), doc.description) if doc and doc.name else None


def _skill_md_template(name: str, description: str) -> str:
    return (
        f"---\nname: {name}\ndescription: {json.dumps(description, ensure_ascii=False)}\n---\n\n"
        f"# {name}\n\nDescribe when the agent should use this skill and the steps it follows.\n"
    )


def _check(text: str, kind: str) -> None:
    # What init writes must pass the same validation publish applies: never hand out a
    # manifest that fails the next command. The problems lose their file and line: they
    # are about the values given, in a file that was not written.
    import dataclasses

    from tank.core.manifest import ManifestKind, parse_manifest

    expected = ManifestKind.PACKAGE if kind == "skill" else ManifestKind.PROJECT
    _, report = parse_manifest(text, kind=expected)
    if not report.ok:
        raise UsageError(
            "the values given do not make a valid skills.json; nothing was written",
            code="init_invalid",
            problems=[dataclasses.replace(p, location=None) for p in report.problems],
            hint="adjust --name, --scope or --version",
        )
