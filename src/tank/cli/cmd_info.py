"""``tank info``: a skill's metadata, versions, permissions, score and verdict."""

from __future__ import annotations

from typing import Any

import click

from tank.cli.render import print_json
from tank.cli.render_skill import (
    breakdown_lines,
    finding_lines,
    indent,
    permission_lines,
    safe_text,
    score_text,
)

EPILOG = """\b
Examples:
  tank info @acme/pdf-tools
  tank info @acme/pdf-tools@1.2.0
  tank info @acme/pdf-tools@beta     # a dist-tag
  tank info @acme/pdf-tools --json | jq .version.permissions
"""


def split_spec(spec: str) -> tuple[str, str | None]:
    """``@scope/name[@version-or-tag]`` → (name, version or tag or None)."""
    from tank.client.suggest import bad_name
    from tank.core.manifest_rules import is_package_name

    at = spec.find("@", 1)
    name, version = (spec, None) if at < 0 else (spec[:at], spec[at + 1 :] or None)
    if not is_package_name(name):
        raise bad_name(
            spec, name, "name skills as @scope/name, optionally with a version: @acme/pdf@1.2.0"
        )
    return name, version


@click.command(epilog=EPILOG)
@click.argument("spec", metavar="NAME[@VERSION]")
@click.option("--registry", metavar="URL", help="Registry to ask (default: the scope's).")
@click.option("--json", "as_json", is_flag=True, help="Print {skill, version} documents.")
def command(spec: str, registry: str | None, as_json: bool) -> None:
    """Show a skill's metadata, versions, permissions, score and verdict.

    The skill's description, latest version, dist-tags and every version (yanked and
    unpublished ones marked); then, for one version (the latest unless given, or a dist-tag),
    its verdict, audit score with breakdown, findings, declared permissions, dependencies,
    publisher, date and integrity. Private skills need a token that may read them.
    """
    from tank.client.config import registry_map
    from tank.client.registries import Registries

    name, wanted = split_spec(spec)
    with Registries(registry_map(override=registry)) as registries:
        client = registries.for_name(name)
        doc = client.skill_document(name)
        version = _dict(doc, "dist_tags").get(wanted, wanted) if wanted else doc.get("latest")
        detail = client.version_document(name, str(version)) if version else None
    if as_json:
        print_json({"skill": doc, "version": detail})
        return
    for line in describe(doc, detail):
        click.echo(line)


def _dict(doc: dict[str, Any], key: str) -> dict[str, Any]:
    value = doc.get(key)
    return value if isinstance(value, dict) else {}


def _versions(doc: dict[str, Any]) -> list[str]:
    from tank.core.errors import TankError
    from tank.core.semver import parse_version

    versions = _dict(doc, "versions")

    def key(text: str) -> tuple[int, Any]:
        try:
            return 1, parse_version(text).sort_key
        except (TankError, ValueError):
            return 0, text

    out = []
    for number in sorted(versions, key=key, reverse=True):
        entry = versions[number] if isinstance(versions[number], dict) else {}
        mark = ""
        if entry.get("deleted"):
            mark = " (unpublished)"
        elif entry.get("yanked"):
            reason = entry.get("yank_reason")
            mark = f" (yanked{f': {reason}' if reason else ''})"
        elif entry.get("verdict") == "fail":
            mark = " (failed scan)"
        out.append(f"{number}{mark}")
    return out


def describe(doc: dict[str, Any], detail: dict[str, Any] | None) -> list[str]:
    """Human lines for a skill document and one version's document."""
    tags = _dict(doc, "dist_tags")
    head = f"{doc.get('name')}@{detail.get('version')}" if detail else str(doc.get("name"))
    lines = [head + (" (private)" if doc.get("private") else ""), str(doc.get("description"))]
    lines.append(f"  latest:      {doc.get('latest') or '(no installable version)'}")
    lines.append(f"  dist-tags:   {', '.join(f'{t}={v}' for t, v in tags.items()) or '-'}")
    lines.append(f"  versions:    {', '.join(_versions(doc))}")
    if doc.get("keywords"):
        lines.append(f"  keywords:    {', '.join(str(k) for k in doc['keywords'])}")
    if detail is not None:
        if detail.get("yanked"):
            lines.append(f"  YANKED:      {detail.get('yank_reason') or 'no reason given'}")
        lines.append(f"  verdict:     {detail.get('verdict')}")
        lines.append(f"  audit score: {score_text(detail)}")
        lines += indent(breakdown_lines(detail.get("score_breakdown")))
        findings = finding_lines(detail.get("findings"), explain=True)
        if findings:
            lines += ["  findings:", *indent(findings)]
        lines.append(f"  publisher:   {detail.get('publisher') or 'unknown'}")
        lines.append(f"  published:   {detail.get('published_at')}")
        origin = detail.get("import")
        if isinstance(origin, dict):  # mirrored from git by `tank registry import`
            path = f" path {origin.get('path')}" if origin.get("path") else ""
            lines.append(
                f"  imported:    from {origin.get('source')} commit {origin.get('commit')}"
                f"{path} by {origin.get('imported_by')}"
            )
        lines += ["  permissions:", *indent(permission_lines(detail.get("permissions")))]
        deps = _dict(detail, "dependencies")
        lines.append(f"  dependencies:{'' if deps else ' none'}")
        lines += [f"    {dep}  {rng}" for dep, rng in sorted(deps.items())]
        lines.append(f"  integrity:   {detail.get('integrity')}")
    return [safe_text(line) for line in lines]
