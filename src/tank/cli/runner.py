"""Run one command module and turn every outcome into an exit code.

This is the only place errors become exit statuses: commands raise, the runner renders.
"""

from __future__ import annotations

import errno
import importlib
import sys
from collections.abc import Callable
from typing import Any, TextIO, cast

from tank.cli.exit_codes import ExitCode
from tank.cli.render import render_error
from tank.client import errors as ce
from tank.core import errors as e
from tank.sandbox.features import SandboxUnavailableError

# Most specific first: the first matching class decides the exit code.
_EXIT_BY_ERROR: tuple[tuple[type[e.TankError], int], ...] = (
    (e.UsageError, ExitCode.USAGE),
    (SandboxUnavailableError, ExitCode.SANDBOX),
    (ce.UnknownSkillError, ExitCode.NOT_FOUND),
    (ce.ScanRefusedError, ExitCode.SCAN_FAILED),
    (e.NotInstalledError, ExitCode.UNAVAILABLE),
    (e.ValidationError, ExitCode.INVALID),
    (e.ResolutionError, ExitCode.RESOLUTION),
    (e.PermissionBudgetError, ExitCode.PERMISSION_BUDGET),
    (ce.AuditPolicyError, ExitCode.AUDIT),
    (e.IntegrityError, ExitCode.INTEGRITY),
    (e.UnsafeArchiveError, ExitCode.UNSAFE_ARCHIVE),
    (e.PackError, ExitCode.UNSAFE_ARCHIVE),
    (ce.NetworkError, ExitCode.NETWORK),
    (ce.AuthError, ExitCode.AUTH),
    (ce.NotFoundError, ExitCode.NOT_FOUND),
    (ce.RegistryError, ExitCode.REGISTRY),
)


def _print_traceback() -> None:
    import traceback  # only with -v: it imports tokenize and linecache (~10 ms)

    traceback.print_exc()


def exit_code_for(error: e.TankError) -> int:
    """The named exit code for a Tank error."""
    for cls, code in _EXIT_BY_ERROR:
        if isinstance(error, cls):
            return code
    return ExitCode.FAILURE


def _with_suggestions(error: e.TankError) -> e.TankError:
    """``error`` with "did you mean" names from the registry, when it is about a skill name."""
    if not isinstance(error, ce.NotFoundError | ce.UnscopedNameError):
        return error
    from tank.client.suggest import suggest

    return suggest(error)


def _announce_slow(as_json: bool) -> None:
    if not as_json:  # a slow registry is announced, never silent (JSON output stays clean)
        from tank.cli.progress_view import slow_line
        from tank.client.progress import set_slow_notice

        set_slow_notice(slow_line)


def invoke(module_name: str, name: str, args: list[str], *, verbose: bool) -> int:
    """Import ``module_name``, run its ``command`` with ``args``, and return the exit code."""
    import click

    as_json = "--json" in args
    _announce_slow(as_json)
    command: click.Command = importlib.import_module(module_name).command

    def call() -> object:
        try:
            return command.main(
                args, prog_name=f"tank {name}", standalone_mode=False, obj={"verbose": verbose}
            )
        except click.exceptions.Exit as stop:
            return stop.exit_code
        except click.ClickException as bad:
            # click's own usage errors (missing argument, bad option) keep click's wording.
            bad.show()
            return ExitCode.USAGE
        except click.exceptions.Abort:
            sys.stderr.write("Aborted.\n")
            return ExitCode.INTERRUPTED

    return guarded(call, name, as_json=as_json, verbose=verbose)


def guarded(call: Callable[[], object], name: str, *, as_json: bool, verbose: bool) -> int:
    """Run ``call`` (a command's work) and turn its result or error into the exit code."""
    try:
        result = call()
    except e.TankError as error:
        if verbose:
            _print_traceback()
        render_error(_with_suggestions(error), as_json=as_json, verbose=verbose, command=name)
        return exit_code_for(error)
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        return ExitCode.INTERRUPTED
    except Exception as bug:  # the last line of defence: never a bare traceback
        if verbose:
            _print_traceback()
        render_error(
            e.TankError(
                f"internal error: {type(bug).__name__}: {bug}",
                code="internal",
                hint="this is a bug in tank; run again with -v and report the traceback",
            ),
            as_json=as_json,
        )
        return ExitCode.INTERNAL
    return int(result) if isinstance(result, int) else ExitCode.OK


def run_fast(name: str, keywords: dict[str, Any], *, verbose: bool) -> int:
    """Run ``tank run`` from keywords :func:`tank.cli.run_skill.simple_args` read, without
    click, exactly as :func:`invoke` would run the click command with the same words."""
    from tank.cli.run_skill import execute

    as_json = bool(keywords.get("as_json"))
    _announce_slow(as_json)

    def call() -> object:
        try:
            return execute(**keywords)
        except (EOFError, KeyboardInterrupt):
            # What click's Command.main does: a blank line after the terminal's ^C, "Aborted."
            sys.stderr.write("\n")
            sys.stderr.flush()
            sys.stderr.write("Aborted.\n")
            return ExitCode.INTERRUPTED
        except OSError as error:
            if error.errno != errno.EPIPE:
                raise
            # Also click's: a closed pipe is exit status 1, and later flushes stay quiet.
            from click.utils import _PacifyFlushWrapper

            sys.stdout = cast(TextIO, _PacifyFlushWrapper(sys.stdout))
            sys.stderr = cast(TextIO, _PacifyFlushWrapper(sys.stderr))
            sys.exit(1)

    return guarded(call, name, as_json=as_json, verbose=verbose)
