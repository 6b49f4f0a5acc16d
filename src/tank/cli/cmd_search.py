"""``tank search``: find skills on the registry (a table on a terminal, aligned text in pipes)."""

from __future__ import annotations

import sys
from typing import Any

import click

from tank.cli.render import print_json

EPILOG = """\b
Examples:
  tank search pdf
  tank search "pdf tables" --page 2
  tank search ""                   # browse: newest skills first
  tank search pdf --json | jq '.results[].name'
"""

DESCRIPTION_WIDTH = 60


@click.command(epilog=EPILOG)
@click.argument("query", default="")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1, 1000))
@click.option("--per-page", default=20, show_default=True, type=click.IntRange(1, 100))
@click.option("--registry", metavar="URL", help="Registry to search (default: the configured).")
@click.option("--json", "as_json", is_flag=True, help="Print the registry's answer as JSON.")
def command(query: str, page: int, per_page: int, registry: str | None, as_json: bool) -> None:
    """Search the registry for skills by name, description, keywords and SKILL.md text.

    The last word matches as a prefix. Results show each skill's latest version and audit
    score (0-10); private skills appear only to those who may read them.
    """
    from tank.client.account import registry_url
    from tank.client.credentials import token_for
    from tank.client.http import RegistryClient

    url = registry_url(registry)
    with RegistryClient(url, token=token_for(url)) as client:
        found = client.search(query, page=page, per_page=per_page)
    if as_json:
        print_json(found)
        return
    results = [r for r in found.get("results") or [] if isinstance(r, dict)]
    if not results:
        click.echo(f"no skills match {query!r}" if query else "no skills yet")
        return
    rows = [_row(r) for r in results]
    if sys.stdout.isatty():
        _rich_table(rows)
    else:
        _plain_table(rows)
    total, pages = found.get("total", len(rows)), found.get("pages", 1)
    noun = "skill" if total == 1 else "skills"
    click.echo(f"page {found.get('page', page)} of {pages} ({total} {noun})")


def _row(result: dict[str, Any]) -> tuple[str, str, str, str]:
    from tank.cli.render_skill import safe_text, score_text

    score = score_text(result).removesuffix("/10").replace("not scored", "-")
    flags = " (private)" if result.get("private") else ""
    if result.get("verdict") not in (None, "pass"):
        flags += f" [{result['verdict']}]"
    description = " ".join(str(result.get("description") or "").split())
    cells = (result.get("name"), result.get("version"), score + flags, description)
    name, version, score, description = (safe_text(c) for c in cells)
    return name, version, score, description


def _plain_table(rows: list[tuple[str, str, str, str]]) -> None:
    header = ("NAME", "VERSION", "SCORE", "DESCRIPTION")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    for row in [header, *rows]:
        text = row[3]
        if len(text) > DESCRIPTION_WIDTH:
            text = text[: DESCRIPTION_WIDTH - 3] + "..."
        cells = [cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)]
        click.echo("  ".join([*cells, text]).rstrip())


def _rich_table(rows: list[tuple[str, str, str, str]]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("NAME", style="cyan", no_wrap=True)
    table.add_column("VERSION", no_wrap=True)
    table.add_column("SCORE", justify="right", no_wrap=True)
    table.add_column("DESCRIPTION", overflow="ellipsis", no_wrap=True)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))  # Text: no markup from the registry
    Console().print(table)
