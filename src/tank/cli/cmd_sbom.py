"""``tank sbom``: the CycloneDX 1.6 SBOM of a local skill folder or a published version."""

from __future__ import annotations

import sys
from pathlib import Path

import click

EPILOG = """\b
Examples:
  tank sbom                             # the skill in the current folder
  tank sbom ./my-skill --output sbom.cdx.json
  tank sbom @acme/pdf-tools@1.2.0       # as the registry serves it
  tank sbom @acme/pdf-tools             # the latest version (or @TAG for a dist-tag)
"""


@click.command(epilog=EPILOG)
@click.argument("target", metavar="[DIR | NAME[@VERSION]]", default=".")
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the SBOM to FILE instead of standard output.",
)
@click.option("--registry", metavar="URL", help="Registry to ask for NAME@VERSION.")
@click.option("--json", "as_json", is_flag=True, default=True, help="CycloneDX JSON (default).")
def command(target: str, output: Path | None, registry: str | None, as_json: bool) -> None:
    """Print the CycloneDX 1.6 JSON SBOM of a skill.

    For a folder, the skill is validated and packed exactly as `tank publish` would, then
    described: every file with its SHA-256 and SHA-512, the skill dependencies, the Python
    and npm packages its scripts need, and its declared permissions. Why the SBOM is not
    complete (undeclared or unpinned packages) is printed to standard error as notes. For
    NAME@VERSION the registry's SBOM is fetched as is. The same input gives the same bytes.
    """
    data = _remote(target, registry) if _is_name(target) else _local(Path(target))
    if output is not None:
        output.write_bytes(data)
        click.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _is_name(target: str) -> bool:
    """A skill name rather than a folder: not a folder, and ``@…`` or not written like a
    path (so a bare ``pdf-tools@1.0.0`` is told its scope instead of "not a folder")."""
    if Path(target).is_dir():
        return False
    return target.startswith("@") or not ("/" in target or target.startswith((".", "~")))


def _local(folder: Path) -> bytes:
    from tank.client.local import read_skill, require_valid
    from tank.core.errors import UsageError
    from tank.core.sbom import build_sbom
    from tank.core.unpack import read_archive

    if not folder.is_dir():
        raise UsageError(
            f"{folder} is not a folder",
            code="not_a_folder",
            hint="pass a skill folder (holding SKILL.md and skills.json) or NAME@VERSION",
        )
    skill = read_skill(folder)
    require_valid(skill.report, f"skill {folder}")
    assert skill.package is not None and skill.package.manifest is not None
    files = {m.path: m.data for m in read_archive(skill.packed.data) if not m.is_dir}
    sbom = build_sbom(files, skill.package.manifest, integrity=skill.packed.integrity)
    for gap in sbom.gaps:
        click.echo(f"note: {gap}", err=True)
    return sbom.to_json()


def _remote(spec: str, registry: str | None) -> bytes:
    from tank.cli.cmd_info import split_spec
    from tank.client.config import registry_map
    from tank.client.registries import Registries
    from tank.client.sbom import fetch_sbom
    from tank.core.errors import UsageError

    name, wanted = split_spec(spec)
    with Registries(registry_map(override=registry)) as registries:
        client = registries.for_name(name)
        version = wanted
        if version is None or not version[:1].isdigit():
            doc = client.skill_document(name)
            tags = doc.get("dist_tags")
            tagged = tags.get(version) if isinstance(tags, dict) and version else None
            version = tagged if version else doc.get("latest")
            if not isinstance(version, str):
                raise UsageError(
                    f"{spec}: no such version or dist-tag",
                    code="version_not_found",
                    hint=f"see `tank info {name}` for the published versions",
                )
        return fetch_sbom(client, name, version)
