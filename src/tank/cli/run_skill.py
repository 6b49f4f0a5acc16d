"""The work of ``tank run``, without click: what the command does, and a fast path to it.

``tank run`` is the one command agents call in a loop, so its start-up counts (issue 13: the
whole command within 150 ms of running the script directly). Loading click and its option
machinery costs ~30 ms, so :func:`simple_args` reads the common shapes of the command line
itself (a skill, its arguments, ``--json``, ``-g``) and :mod:`tank.cli.main` calls
:func:`execute` directly; anything else (``--help``, ``--script``, ``--timeout 5``, a typo)
goes through the click command in :mod:`tank.cli.cmd_run`, which calls the same
:func:`execute`. The fast reading is checked against click's own on a table of command lines
(tests/unit/cli/test_run_skill.py).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

UNSAFE_WARNING = (
    "WARNING: --unsafe-no-sandbox: {name} runs UNCONFINED, with your files, network and "
    "processes. Its declared permissions are NOT enforced. This run is recorded in the log.\n"
)

#: Flags the fast path reads, with the :func:`execute` keyword each sets.
_FLAGS = {"--json": "as_json", "-g": "is_global", "--global": "is_global"}


def simple_args(rest: list[str]) -> dict[str, Any] | None:
    """The keywords of :func:`execute` for ``tank run <rest>``, or ``None`` to let click parse.

    Reads only the flags in ``_FLAGS``, a skill name (the first other word) and plain
    arguments; after ``--`` everything is an argument. Any other word starting with ``-`` (an
    option, a typo, ``-`` itself), a missing name and ``--`` before the name return ``None``.
    """
    keywords: dict[str, Any] = {"as_json": False, "is_global": False}
    positional: list[str] = []
    words = iter(rest)
    for word in words:
        if word == "--" and positional:
            positional.extend(words)
            break
        if word.startswith("-"):
            if word not in _FLAGS:
                return None
            keywords[_FLAGS[word]] = True
        else:
            positional.append(word)
    if not positional:
        return None
    return {"name": positional[0], "args": tuple(positional[1:]), **keywords}


def _write(stream: Any) -> Any:
    def sink(data: bytes) -> None:
        stream.write(data)
        stream.flush()

    return sink


def execute(
    name: str,
    args: tuple[str, ...] = (),
    *,
    script: str | None = None,
    inputs_text: str | None = None,
    inputs_file: Path | None = None,
    timeout: float = 300.0,
    as_json: bool = False,
    unsafe: bool = False,
    is_global: bool = False,
) -> int:
    """Run the skill ``name`` (installed, or a folder) and return its exit code."""
    from tank.cli.paths_view import project_paths_for
    from tank.cli.render import print_json
    from tank.core.errors import UsageError
    from tank.runtime import runs, structured
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
    done = runs.run_in(
        paths,
        target,
        script=script,
        args=args,
        inputs=inputs,
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
        for limit in result.limits_unenforced:
            sys.stderr.write(
                f"tank: warning: the {limit} limit was not enforced (running as root with no "
                "writable pids cgroup; run as a normal user)\n"
            )
        for problem in done.problems:
            sys.stderr.write(f"tank: output: {problem.message}\n")
    if done.problems:
        from tank.cli.exit_codes import ExitCode

        return ExitCode.INVALID
    return result.exit_code
