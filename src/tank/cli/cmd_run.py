"""``tank run``: run a skill's entry or one of its scripts in the sandbox."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from tank.cli.render import print_json

EPILOG = """\b
Examples:
  tank run @acme/pdf-tools -- report.pdf        # its `run` entry, with arguments
  tank run json-summarizer --inputs '{"document": [1, 2]}' --json
  tank run pdf-tools --script scripts/split.py -- a.pdf
  tank run ./my-skill                            # a folder, under its own skills.json
\b
The skill sees the project folder as its working directory and nothing of your home folder
but what it declares; docs/sandbox.md says what is enforced and how. The exit status is the
skill's own; 3 when its inputs or printed output do not match its interface; 15 when the
sandbox cannot be set up (nothing ran).
"""

UNSAFE_WARNING = (
    "WARNING: --unsafe-no-sandbox: {name} runs UNCONFINED, with your files, network and "
    "processes. Its declared permissions are NOT enforced. This run is recorded in the log.\n"
)


def _write(stream: Any) -> Any:
    def sink(data: bytes) -> None:
        stream.write(data)
        stream.flush()

    return sink


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
    from tank.cli.install_view import project_paths_for
    from tank.client.paths import state_dir
    from tank.core.errors import UsageError
    from tank.runtime import runs, structured
    from tank.sandbox.auditlog import log_path
    from tank.sandbox.policy import Limits

    if inputs_text is not None and inputs_file is not None:
        raise UsageError("give --inputs or --inputs-file, not both", code="run.inputs.twice")
    inputs: Any = runs.NO_INPUTS
    if inputs_text is not None:
        inputs = structured.parse_inputs(inputs_text, source="--inputs")
    elif inputs_file is not None:
        text = (
            sys.stdin.read() if str(inputs_file) == "-" else inputs_file.read_text(encoding="utf-8")
        )
        inputs = structured.parse_inputs(text, source=str(inputs_file))
    paths = project_paths_for(is_global)
    target = runs.find_target(name, paths)
    if unsafe:
        sys.stderr.write(UNSAFE_WARNING.format(name=target.name))
    done = runs.run_skill(
        target,
        project=paths.link_root if is_global else paths.meta_root,
        script=script,
        args=args,
        inputs=inputs,
        environ=os.environ,
        log=log_path(state_dir()),
        on_stdout=None if as_json else _write(sys.stdout.buffer),
        on_stderr=_write(sys.stderr.buffer),
        unsafe=unsafe,
        limits=Limits(wall_seconds=timeout),
    )
    result = done.result
    assert result is not None
    if as_json:
        print_json(done.to_json())
    else:
        for secret in done.missing_secrets:
            sys.stderr.write(f"tank: note: the declared secret {secret} is not set here\n")
        for glob in done.approximated:
            sys.stderr.write(f"tank: note: {glob} is granted as its whole folder\n")
        for denial in result.denials:
            sys.stderr.write(f"tank: denied ({denial['kind']}): {denial['detail']}\n")
        for c in result.connections:
            if not c.get("allowed"):
                where = f"{c.get('method')} {c.get('host')}:{c.get('port')}"
                sys.stderr.write(f"tank: refused ({c.get('reason')}): {where}: {c.get('detail')}\n")
        for limit in result.limits_hit:
            sys.stderr.write(f"tank: the run hit its {limit.replace('_', ' ')} limit\n")
        for problem in done.problems:
            sys.stderr.write(f"tank: output: {problem.message}\n")
    if done.problems:
        from tank.cli.exit_codes import ExitCode

        return ExitCode.INVALID
    return result.exit_code
