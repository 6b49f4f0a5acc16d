"""``tank run``: run a skill's entry or one of its scripts in the sandbox.

The options live here; the work is :func:`tank.cli.run_skill.execute`, which
:mod:`tank.cli.main` also calls without click for the common command lines.
"""

from __future__ import annotations

from pathlib import Path

import click

from tank.cli.run_skill import execute

EPILOG = """\b
Examples:
  tank run @acme/pdf-tools -- report.pdf        # its `run` entry, with arguments
  tank run json-summarizer --inputs '{"document": [1, 2]}' --json
  tank run pdf-tools --script scripts/split.py -- a.pdf
  tank run ./my-skill                            # a folder, under its own skills.json
\b
The skill sees the project folder as its working directory and nothing of your home folder
but what it declares; docs/sandbox.md says what is enforced and how. The exit status is the
skill's own; 3 when its inputs or printed output do not match its interface; 6 when an
installed skill's files no longer match skills.lock (`tank verify NAME` shows what changed);
15 when the sandbox cannot be set up (nothing ran in either case).
"""


@click.command(epilog=EPILOG, context_settings={"ignore_unknown_options": False})
@click.argument("name")
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.option("--script", metavar="PATH", help="Run this script of the skill (not `run`).")
@click.option("--inputs", "inputs_text", metavar="JSON", help="Inputs of a structured skill.")
@click.option(
    "--inputs-file",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    help="Read the inputs from a file (- for standard input).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=300.0,
    show_default=True,
    help="Stop the skill after this many seconds (wall clock).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON result record.")
@click.option(
    "--unsafe-no-sandbox",
    "unsafe",
    is_flag=True,
    help="Run without the sandbox (loud warning; recorded in the log). Not recommended.",
)
@click.option("-g", "--global", "is_global", is_flag=True, help="A skill of the user install.")
def command(
    name: str,
    args: tuple[str, ...],
    script: str | None,
    inputs_text: str | None,
    inputs_file: Path | None,
    timeout: float,
    as_json: bool,
    unsafe: bool,
    is_global: bool,
) -> int:
    """Run an installed skill's `run` entry (or a folder's) in the sandbox.

    Arguments after `--` are passed to the script. Structured skills take their inputs as
    JSON on standard input (checked against interface.inputs first) and print JSON (checked
    against interface.outputs after).
    """
    return execute(
        name,
        args,
        script=script,
        inputs_text=inputs_text,
        inputs_file=inputs_file,
        timeout=timeout,
        as_json=as_json,
        unsafe=unsafe,
        is_global=is_global,
    )
