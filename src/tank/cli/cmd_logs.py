"""``tank logs``: the run log (every ``tank run``: skill, exit, denials, limits, connections)."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

EPILOG = """\b
Examples:
  tank logs                      # every run, oldest first
  tank logs pdf-tools --json     # one JSON object per line
  tank logs --follow             # print runs as they happen (Ctrl-C stops)
"""


def _line(record: dict[str, Any]) -> str:
    sandbox = "sandboxed" if record.get("sandboxed") else "UNSANDBOXED"
    if record.get("refused"):
        sandbox = "refused"
    version = f"@{record['version']}" if record.get("version") else ""
    text = (
        f"{record.get('start', '?')}  {record.get('skill')}{version}  {record.get('script')}  "
        f"exit {record.get('exit')}  {sandbox}"
    )
    if record.get("duration") is not None:
        text += f"  {record['duration']:.3f}s"
    details = [f"denied {d.get('kind')}: {d.get('detail')}" for d in record.get("denials") or []]
    details += [f"limit hit: {limit}" for limit in record.get("limits_hit") or []]
    for c in record.get("connections") or []:
        verdict = "allowed" if c.get("allowed") else f"refused ({c.get('reason')})"
        more = f" (and {c['suppressed']} more)" if c.get("suppressed") else ""
        details.append(f"{verdict} {c.get('method')} {c.get('host')}:{c.get('port')}{more}")
    if record.get("refused"):
        details.append(f"refused: {record['refused']}")
    return "\n".join([text, *(f"    {d}" for d in details)]) + "\n"


@click.command(epilog=EPILOG)
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line (JSON Lines).")
@click.option("-f", "--follow", is_flag=True, help="Keep printing runs as they are logged.")
@click.option("-n", "--limit", type=click.IntRange(min=1), help="Only the last N runs.")
def command(name: str | None, as_json: bool, follow: bool, limit: int | None) -> None:
    """Show the runs of `tank run` (all skills, or NAME's), oldest first."""
    from tank.client.paths import state_dir
    from tank.sandbox import auditlog

    path = auditlog.log_path(state_dir())

    def show(record: dict[str, Any]) -> None:
        text = json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n"
        sys.stdout.write(text if as_json else _line(record))
        sys.stdout.flush()

    records = auditlog.read(path, name)
    for record in records[-limit:] if limit else records:
        show(record)
    if not records and not follow and not as_json:
        sys.stderr.write(f"No runs logged yet ({path}).\n")
    if follow:
        for record in auditlog.follow(path, name):
            show(record)
