"""``tank registry import``: mirror skills from git into the registry, with provenance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from tank.cli.render import print_json
from tank.core.errors import TankError

HELP = """Publish skills read from git through the publish pipeline (validate, scan,
permissions, semver gate, score, sign), recording in each version's attestation the
source URL, commit and path it was read from and who imported it.

SOURCE is github:owner/repo[/path][#ref] or git+https|ssh|file://…[#ref][:path]. A skill
without skills.json is named @SCOPE/<its SKILL.md name> (--scope is then required), with
version --version or 0.0.0+g<commit> (the registry drops build metadata: 0.0.0), and the
permissions the scanner infers. Importing the same commit again changes nothing; a new
commit needs a new version. A skill the scan fails is refused, its findings printed."""


@click.command(
    "import",
    help=HELP,
    short_help="Mirror skills from git into the registry, with their provenance (commit).",
)
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--scope", help="Scope (@acme) for skills without skills.json.")
@click.option("--all", "every", is_flag=True, help="Import every skill of each repository.")
@click.option(
    "--as",
    "as_user",
    metavar="USER",
    help="Account the versions are published as (default: the registry's only admin).",
)
@click.option("--version", "version", help="Version for skills without skills.json.")
@click.option("--database-url", envvar="TANK_REGISTRY_DATABASE_URL", help="SQLAlchemy URL.")
@click.option(
    "--storage",
    type=click.Path(path_type=Path, file_okay=False),
    envvar="TANK_REGISTRY_STORAGE",
    help="Folder for tarballs (env TANK_REGISTRY_STORAGE).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def command(
    sources: tuple[str, ...],
    scope: str | None,
    every: bool,
    as_user: str | None,
    version: str | None,
    database_url: str | None,
    storage: Path | None,
    as_json: bool,
) -> int:
    """See :data:`HELP`."""
    from tank.cli.render import render_error
    from tank.cli.runner import exit_code_for
    from tank.client.gitimport import read_sources
    from tank.client.paths import cache_dir
    from tank.server.admin import ImportItem, import_skills
    from tank.server.settings import load_settings

    read = read_sources(sources, cache_dir(), every=every, scope=scope, version=version)
    settings = load_settings(
        None, database_url=database_url, storage=storage.resolve() if storage else None
    )
    items = [ImportItem(s.data, s.name, s.version, s.url, s.commit, s.path) for s in read]
    answers = import_skills(settings, items, as_user=as_user)
    done = [a for a in answers if not isinstance(a, TankError)]
    refused = [(item, _refusal(a)) for item, a in zip(items, answers, strict=True)
               if isinstance(a, TankError)]  # fmt: skip
    if as_json:
        print_json(
            {
                "imported": done,
                "refused": [
                    {"name": i.name, "version": i.version, "error": e.as_dict()} for i, e in refused
                ],
            }
        )
    else:
        for answer in done:
            click.echo(_line(answer))
        for item, error in refused:
            click.echo(f"refused {item.name}@{item.version}:", err=True)
            render_error(error)
    return exit_code_for(refused[0][1]) if refused else 0


def _refusal(error: TankError) -> TankError:
    """A scan refusal exits like ``tank publish``'s (the scan's exit code, not "invalid")."""
    if error.code != "scan_failed":
        return error
    from tank.client.errors import ScanRefusedError

    return ScanRefusedError(
        error.message, status=422, code=error.code, hint=error.hint, detail=error.detail,
        problems=error.problems,
    )  # fmt: skip


def _line(answer: dict[str, Any]) -> str:
    origin = answer.get("import") or {}
    where = f"{origin.get('source')}@{str(origin.get('commit'))[:12]}"
    if origin.get("path"):
        where += f":{origin['path']}"
    verb = "unchanged" if answer["status"] == "unchanged" else "imported"
    return (
        f"{verb} {answer['name']}@{answer['version']} from {where} "
        f"(verdict {answer['verdict']}, audit score {answer['audit_score']})"
    )
