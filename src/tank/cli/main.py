"""The ``tank`` entry point: global options, lazy dispatch, and the one place that exits.

Dispatch is hand-rolled on purpose: the top level only needs a command name and a few global
flags, and doing it without click keeps ``tank --help`` and ``tank --version`` free of every
third-party import. The command itself is a click command loaded on demand.
"""

from __future__ import annotations

import sys

from tank.cli.commands import ALIASES, COMMANDS, GROUP_ORDER
from tank.cli.exit_codes import ExitCode

USAGE = "usage: tank [-v] [--version] [-h] <command> [options]"

EXAMPLES = """\
Examples:
  tank init --yes                 # a skills.json for this folder
  tank validate ./my-skill        # strict check before publishing
  tank pack ./my-skill --json     # reproducible tarball + integrity
  tank permissions                # the project's permission budget
"""


def top_level_help() -> str:
    """The text of ``tank --help``: built from the static command table, no imports."""
    width = max(len(name) for name in COMMANDS) + 2
    lines = [
        "Tank: the security-first package manager for AI agent skills.",
        "",
        USAGE,
        "",
    ]
    for group in GROUP_ORDER:
        names = [n for n, info in COMMANDS.items() if info.group == group]
        if not names:
            continue
        lines.append(f"{group} commands:")
        lines.extend(f"  {n.ljust(width)}{COMMANDS[n].summary}" for n in names)
        lines.append("")
    targets = {t: [a for a, n in ALIASES.items() if n == t] for t in ALIASES.values()}
    lines.append("Aliases: " + "; ".join(f"{', '.join(a)} = {t}" for t, a in targets.items()))
    lines.append("")
    lines += [
        "Global options:",
        "  -v, --verbose   show tracebacks and debug detail on errors",
        "  --version       print the version and exit",
        "  -h, --help      show this message; `tank <command> --help` for one command",
        "",
        EXAMPLES,
    ]
    return "\n".join(lines)


def _usage_error(message: str) -> int:
    sys.stderr.write(f"error: {message}\n{USAGE}\nRun `tank --help` for the list of commands.\n")
    return ExitCode.USAGE


def _suggest(name: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, [*COMMANDS, *ALIASES], n=1)
    return f" (did you mean `tank {close[0]}`?)" if close else ""


def _install_is_noop() -> int | None:
    """``tank install`` with nothing to do answers before click and httpx load (~100 ms)."""
    from tank.client.noop import up_to_date

    try:
        return up_to_date()
    except Exception:  # any doubt: the full command runs and reports properly
        return None


def main(argv: list[str] | None = None) -> None:
    """Run ``tank`` with ``argv`` (default: ``sys.argv[1:]``) and exit."""
    try:
        code = run(list(sys.argv[1:] if argv is None else argv))
    except KeyboardInterrupt:
        # Ctrl-C before the runner guards the command: while click, the command module or
        # the runner itself is still being imported. One line, as the runner says it.
        sys.stderr.write("Interrupted.\n")
        code = ExitCode.INTERRUPTED
    raise SystemExit(code)


def run(args: list[str]) -> int:
    """Parse global flags, dispatch to a command, and return the exit code."""
    verbose = False
    while args and args[0].startswith("-"):
        flag = args.pop(0)
        if flag in ("-v", "--verbose"):
            verbose = True
        elif flag == "--version":
            from tank import __version__

            sys.stdout.write(f"tank {__version__}\n")
            return ExitCode.OK
        elif flag in ("-h", "--help"):
            sys.stdout.write(top_level_help())
            return ExitCode.OK
        else:
            return _usage_error(f"unknown global option {flag!r}")
    if not args:
        sys.stdout.write(top_level_help())
        return ExitCode.OK
    name, rest = args[0], args[1:]
    if name == "guard" and rest[:1] == ["hook"] and not {"-h", "--help"} & set(rest):
        # Runs before every Bash command of a guarded agent: answered without click.
        from tank.runtime.guard_hook import main as hook

        return hook(rest[1:])
    if name == "help":
        if not rest:
            sys.stdout.write(top_level_help())
            return ExitCode.OK
        name, rest = rest[0], ["--help"]
    name = ALIASES.get(name, name)
    info = COMMANDS.get(name)
    if info is None:
        return _usage_error(f"unknown command {name!r}{_suggest(name)}")
    if name == "install" and set(rest) <= {"--frozen"}:
        done = _install_is_noop()
        if done is not None:
            sys.stdout.write(f"Already up to date ({done} skill{'s' if done != 1 else ''}).\n")
            return ExitCode.OK
    if name == "run":
        # Agents call `tank run` in a loop: its common command lines skip click (~30 ms).
        from tank.cli.run_skill import simple_args

        keywords = simple_args(rest)
        if keywords is not None:
            from tank.cli.runner import run_fast

            return run_fast(name, keywords, verbose=verbose)
    from tank.cli.runner import invoke

    return invoke(info.module, name, rest, verbose=verbose)


if __name__ == "__main__":
    main()
