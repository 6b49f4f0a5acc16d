"""``tank pack``: a reproducible tarball of a skill, with its integrity."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from tank.cli.render import print_json, render_problems

EPILOG = """\b
Examples:
  tank pack                        # writes ./<scope>-<name>-<version>.tgz
  tank pack ./my-skill --out dist/
  tank pack ./my-skill --json      # {"name", "version", "path", "size", "files", "integrity"}
  tank pack --format agent-plugin  # ./<name>-plugin/ (plugin.json + skills/<name>/)
  tank pack --format agent-plugin --archive   # ./<name>-plugin-<version>.tgz
  tank pack --format openai        # ./.skill/openai.json (an OpenAI function tool)
"""


def tarball_name(name: str, version: str) -> str:
    """``@acme/pdf-tools`` 1.4.0 → ``acme-pdf-tools-1.4.0.tgz``."""
    return f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"


@click.command(epilog=EPILOG)
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=".",
    help="Folder to write the tarball to (default: the current folder).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["tgz", "agent-plugin", "openai"]),
    default="tgz",
    show_default=True,
    help="tgz: the canonical tarball; agent-plugin: the Agent Plugins / Claude Code plugin "
    "layout; openai: the .skill/openai.json adapter.",
)
@click.option(
    "--archive", is_flag=True, help="With --format agent-plugin: a canonical .tgz, not a folder."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def command(directory: Path, out_dir: Path, fmt: str, archive: bool, as_json: bool) -> None:
    """Pack a skill folder into a canonical, reproducible .tgz.

    The skill is validated strictly first. The same folder always packs to the same bytes
    (sorted entries, fixed modes, owners and times), so the integrity printed here is the one
    the registry will compute. The other formats are made from that same tarball (see
    docs/formats.md).
    """
    from tank.client.local import read_skill, require_valid

    skill = read_skill(directory)
    require_valid(skill.report, f"skill {directory}")
    assert skill.package is not None and skill.package.manifest is not None
    manifest = skill.package.manifest
    assert manifest.name is not None and manifest.version is not None
    out_dir.mkdir(parents=True, exist_ok=True)
    if fmt == "agent-plugin":
        from tank.cli.pack_formats import write_plugin

        target = write_plugin(manifest, skill.packed.data, out_dir, archive=archive)
    elif fmt == "openai":
        from tank.cli.pack_formats import write_openai

        target = write_openai(manifest, out_dir)
    else:
        target = out_dir / tarball_name(manifest.name, str(manifest.version))
        _write_atomically(target, skill.packed.data)
    result = {
        "name": manifest.name,
        "version": str(manifest.version),
        "format": fmt,
        "path": str(target),
        "size": skill.packed.size,
        "unpacked_size": skill.packed.unpacked_size,
        "files": len(skill.packed.files),
        "integrity": skill.packed.integrity,
    }
    if as_json:
        print_json(result)
        return
    render_problems(skill.report.warnings)
    click.echo(f"packed {manifest.name}@{manifest.version}" + ("" if fmt == "tgz" else f" ({fmt})"))
    click.echo(f"  path:      {target}")
    click.echo(f"  size:      {skill.packed.size} bytes ({len(skill.packed.files)} files)")
    click.echo(f"  integrity: {skill.packed.integrity}")


def _write_atomically(target: Path, data: bytes) -> None:
    # A half-written tarball must never sit under the final name.
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tank-pack-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        Path(tmp).chmod(0o644)
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
