"""``tank diff``: what changed between two versions, or between a folder and the registry."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from tank.cli.render import print_json
from tank.cli.render_skill import safe_text

EPILOG = """\b
Examples:
  tank diff @acme/pdf-tools 1.2.0 2.0.0
  tank diff @acme/pdf-tools 1.2.0 2.0.0 --stat    # only the list of files
  tank diff @acme/pdf-tools                        # the two newest versions
  tank diff ./pdf-tools                            # a folder against its published version
  tank diff @acme/pdf-tools 1.2.0 2.0.0 --json | jq .required_bump
"""

_DANGEROUS = frozenset({"network.outbound", "network.inbound", "subprocess"})
_FILE_MARK = {"added": "A", "removed": "D", "content": "M", "mode": "m", "content+mode": "M"}


def _is_name(arg: str) -> bool:
    """``@scope/name`` rather than a folder (a folder of that name wins)."""
    return arg.startswith("@") and not Path(arg).is_dir()


@click.command(epilog=EPILOG)
@click.argument("args", nargs=-1, metavar="NAME [V1 V2] | DIR")
@click.option("--stat", is_flag=True, help="Show the list of files, not their diffs.")
@click.option("--registry", metavar="URL", help="Registry to ask (default: the scope's).")
@click.option("--json", "as_json", is_flag=True, help="Print the diff document.")
def command(args: tuple[str, ...], stat: bool, registry: str | None, as_json: bool) -> None:
    """Show what changed between two versions of a skill.

    The permission changes (new dangerous permissions highlighted), the interface changes
    (breaking or additive), the version bump they require under enforced semver, and the
    files added, removed and changed with unified diffs. With one DIR, compare a local
    skill folder (packed as `tank publish` would) with the published version the registry
    will check its bump against, before publishing it.

    Bumps follow enforced semver: a new dangerous permission (network, subprocess) or a
    breaking interface change needs MAJOR; a new path, secret or additive interface change
    MINOR. Below 1.0.0, Cargo's convention: in 0.y.z a change of y is the major bump and of
    z the minor/patch one.
    """
    from tank.client.config import registry_map
    from tank.core.errors import UsageError

    routes = registry_map(override=registry)
    if len(args) == 3 or (len(args) == 1 and _is_name(args[0])):
        from tank.cli.cmd_info import split_spec
        from tank.client.diffing import fetch_diff, two_newest
        from tank.client.registries import Registries

        name, _ = split_spec(args[0])
        with Registries(routes) as registries:
            client = registries.for_name(name)
            old, new = (args[1], args[2]) if len(args) == 3 else two_newest(client, name)
            doc = fetch_diff(client, name, old, new)
    elif len(args) <= 1:
        from tank.client.diffing import diff_local

        doc = diff_local(Path(args[0] if args else "."), routes)
    else:
        raise UsageError(
            f"tank diff takes NAME V1 V2 or one DIR, not {len(args)} arguments",
            hint="e.g. `tank diff @acme/pdf 1.0.0 2.0.0`, `tank diff @acme/pdf` (the two "
            "newest) or `tank diff ./pdf`",
        )
    if as_json:
        print_json(doc)
        return
    for line in describe(doc, stat=stat, color=_color()):
        click.echo(line)


def _color() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def describe(doc: dict[str, Any], *, stat: bool = False, color: bool = False) -> list[str]:
    """Human lines for a diff document (every registry string made safe for a terminal)."""
    s = safe_text
    lines = [f"{s(doc.get('name'))} {s(doc.get('from'))} → {s(doc.get('to'))}"]
    perms = _dict(doc.get("permissions"))
    lines.append(f"permissions: {s(perms.get('change', 'unknown'))}")
    for sign, side in (("+", "added"), ("-", "removed")):
        for key, items in sorted(_dict(perms.get(side)).items()):
            for item in _list(items):
                text = f"  {sign} {s(key)} {s(item)}"
                if sign == "+" and key in _DANGEROUS:
                    text = _paint(f"{text}   [dangerous: escalation]", "1;31", color)
                lines.append(text)
    changes = _list(_dict(doc.get("interface")).get("changes"))
    lines.append(f"interface: {'no changes' if not changes else ''}".rstrip())
    for change in map(_dict, changes):
        kind = s(change.get("kind"))
        text = f"  {kind:<9} {s(change.get('side'))}: {s(change.get('text'))}"
        lines.append(_paint(text, "31", color) if kind == "breaking" else text)
    lines += _bump_lines(doc, color)
    files = _dict(doc.get("files"))
    entries = [_dict(f) for part in ("added", "removed", "changed") for f in _list(files.get(part))]
    lines.append(f"files: {len(entries)} changed" if entries else "files: no changes")
    for entry in sorted(entries, key=lambda e: str(e.get("path"))):
        mark = _FILE_MARK.get(str(entry.get("kind")), "?")
        note = f"  ({s(entry['note'])})" if entry.get("note") else ""
        lines.append(f"  {mark} {s(entry.get('path'))}{note}")
    if not stat:
        for entry in sorted(entries, key=lambda e: str(e.get("path"))):
            if isinstance(entry.get("diff"), str) and entry["diff"]:
                lines += ["", *(_diff_line(line, color) for line in entry["diff"].splitlines())]
    return lines


def _bump_lines(doc: dict[str, Any], color: bool) -> list[str]:
    s = safe_text
    required = _dict(doc.get("required_bump"))
    level = str(required.get("level", "unknown")).upper()
    lines = [f"required bump: {s(level)}"]
    lines += [f"  - {s(reason)}" for reason in _list(required.get("reasons"))]
    bump = doc.get("bump")
    if isinstance(bump, dict):
        actual = s(str(bump.get("actual")).upper())
        if bump.get("satisfied"):
            lines.append(f"version bump: {actual}: enough")
        else:
            text = f"version bump: {actual}: NOT enough, publish as {s(bump.get('suggested'))}"
            lines.append(_paint(text, "1;31", color))
    else:
        text = f"version bump: {s(doc.get('to'))} is not above {s(doc.get('from'))}"
        lines.append(text + _suggestion(doc, required))
    return lines


def _suggestion(doc: dict[str, Any], required: dict[str, Any]) -> str:
    """``: publish as X`` for a local folder whose version was not bumped yet."""
    from tank.core.bump import BumpLevel, next_version
    from tank.core.errors import TankError
    from tank.core.semver import parse_version

    try:
        level = BumpLevel[str(required.get("level")).upper()]
        return f": publish as {next_version(parse_version(str(doc.get('from'))), level)}"
    except (KeyError, TankError):
        return ""


def _diff_line(line: str, color: bool) -> str:
    text = safe_text(line)
    if line.startswith(("+++", "---")):
        return _paint(text, "1", color)
    if line.startswith("+"):
        return _paint(text, "32", color)
    if line.startswith("-"):
        return _paint(text, "31", color)
    if line.startswith("@@"):
        return _paint(text, "36", color)
    return text
