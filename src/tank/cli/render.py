"""Rendering for the CLI: errors, problems and JSON, to the right stream.

Rich is imported lazily and only when a table or colour is actually printed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable

from tank.core.errors import Problem, Severity, TankError


def dumps(data: object) -> str:
    """Stable JSON for ``--json`` output: sorted keys, 2-space indent, trailing newline."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def print_json(data: object) -> None:
    """Write ``data`` as stable JSON to standard output."""
    sys.stdout.write(dumps(data))


def render_error(
    error: TankError, *, as_json: bool = False, verbose: bool = False, command: str = ""
) -> None:
    """Show ``error``: what, where, how to fix. JSON on stdout for ``--json`` callers.

    An audit refusal's score breakdowns are long (nine lines a skill): shown with
    ``verbose``, else one line says how to see them (``tank -v COMMAND …``).
    """
    from tank.client.errors import AuditPolicyError

    if as_json:
        print_json({"error": error.as_dict()})
        return
    out = sys.stderr
    out.write(f"error: {error}\n")
    if error.detail:
        out.write(f"{error.detail}\n")
    render_problems(error.problems, stream_is_err=True)
    more = error.verbose_lines() if isinstance(error, AuditPolicyError) else []
    if more and verbose:
        out.write("".join(f"{line}\n" for line in more))
    elif more:
        out.write(f"(run `tank -v {command or 'COMMAND'} …` to see each score breakdown)\n")
    if error.hint:
        out.write(f"hint: {error.hint}\n")


def render_problems(problems: Iterable[Problem], *, stream_is_err: bool = False) -> None:
    """One block per problem: ``file:line: severity[code]: message`` and its hint."""
    out = sys.stderr if stream_is_err else sys.stdout
    for problem in problems:
        out.write(f"{problem}\n")


def problem_counts(problems: Iterable[Problem]) -> tuple[int, int]:
    """(errors, warnings) among ``problems``."""
    errs = warns = 0
    for p in problems:
        if p.severity is Severity.ERROR:
            errs += 1
        else:
            warns += 1
    return errs, warns
