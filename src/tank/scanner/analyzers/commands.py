"""Checks over the commands a file runs, whatever its language: git used to carry data away
(:mod:`.git_commands`) and installs of typosquatted packages (``pip install reqeusts``,
``npm i lodahs``, ``npx expresss``).

The shell analyzer hands over the lines of scripts and of a SKILL.md's shell code; the
Python and JavaScript analyzers the command lines of their subprocess calls. In markdown, a
command introduced as a warning ("attackers run …") is reported as a low note.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from tank.scanner.analyzers.base import Context
from tank.scanner.analyzers.git_commands import git_events
from tank.scanner.analyzers.shell_parse import Command, commands_of
from tank.scanner.analyzers.typosquat import squatted
from tank.scanner.model import Finding, Severity

__all__ = ["check_commands", "check_parsed", "install_targets"]

_PYPI_TOOLS = {"pip": "install", "pip3": "install", "pipx": "install", "poetry": "add"}
_PYPI_TOOLS |= {"pdm": "add", "conda": "install", "mamba": "install"}
_NPM_TOOLS = {
    "npm": "install i add",
    "yarn": "add",
    "pnpm": "add install i",
    "bun": "add install i",
}
_RUNNERS = {"npx": "npm", "bunx": "npm", "pnpx": "npm", "uvx": "pypi", "pipx": "pypi"}
#: Options that take a value (which is a file, a URL or a name, never a package).
_VALUED = frozenset(
    {"-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url"}
    | {"--extra-index-url", "-t", "--target", "--prefix", "-f", "--find-links", "--registry"}
    | {"-w", "--workspace", "--python", "-p", "--package", "--cwd", "--root"}
)
_NOT_A_NAME = re.compile(
    r"^(?:\.|/|~|\$|git\+|https?:|file:|[\w.-]+\.(?:whl|tar\.gz|zip|txt|tgz)$)"
)
_SPEC_END = re.compile(r"[<>=!~;\[\s(,]")
_RULES = {
    "push": ("git.remote_push", "pushes to a hard-coded repository: {detail}"),
    "secret_push": ("git.secret_push", "stages {detail} in a repository that is pushed"),
    "credential_read": ("git.credential_read", "reads stored git credentials: {detail}"),
}


def _package(spec: str, kind: str) -> str:
    if kind == "npm":
        if spec.startswith("@"):
            scope, _, rest = spec[1:].partition("/")
            return f"@{scope}/{rest.split('@', 1)[0]}" if rest else ""
        return spec.split("@", 1)[0]
    return _SPEC_END.split(spec, 1)[0]


def _runner_packages(args: list[str]) -> list[str]:
    """What ``npx``/``uvx`` fetch and run: ``-p``/``--package`` values, else the first
    positional word (the rest are the program's own arguments)."""
    named = [v for o, v in itertools.pairwise(args) if o in ("-p", "--package")]
    named += [a.split("=", 1)[1] for a in args if a.startswith("--package=")]
    if named:
        return named
    positional = [a for a in args if not a.startswith("-") and a not in ("run", "dlx", "install")]
    return positional[:1]


def install_targets(words: tuple[str, ...]) -> list[tuple[str, str]]:
    """``(package, "pypi"|"npm")`` for each package a command installs or runs."""
    words = tuple(w for w in words if w not in ("sudo", "-m"))
    if len(words) >= 2 and words[0].rsplit("/", 1)[-1].startswith("python"):
        words = words[1:]  # python -m pip install …
    if len(words) >= 2 and words[0] == "uv" and words[1] in ("pip", "tool", "add"):
        words = ("pip", *words[2:]) if words[1] != "add" else ("pip", "install", *words[2:])
    if not words:
        return []
    program = words[0].rsplit("/", 1)[-1].lower()
    kind, args = "", list(words[1:])
    if program in _PYPI_TOOLS and args and args[0] in _PYPI_TOOLS[program].split():
        kind, args = "pypi", args[1:]
    elif program in _NPM_TOOLS and args and args[0] in _NPM_TOOLS[program].split():
        kind, args = "npm", args[1:]
    elif program in _RUNNERS:
        kind, args = _RUNNERS[program], _runner_packages(args)
    if not kind:
        return []
    out: list[tuple[str, str]] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg.startswith("-"):
            skip = arg in _VALUED
            continue
        if _NOT_A_NAME.match(arg) or ("/" in arg and not arg.startswith("@")):
            continue
        name = _package(arg, kind)
        if name:
            out.append((name, kind))
    return out


def check_commands(
    path: str,
    lines: Iterable[tuple[int, str]],
    context: Context,
    quoted: Iterable[int] = (),
) -> list[Finding]:
    """Findings over ``(line number, command line)`` pairs of one file; findings on the
    lines in ``quoted`` (commands shown as warnings) are lowered to low notes."""
    parsed = [
        (number, command)
        for number, text in lines
        for pipeline in commands_of(text)
        for top in pipeline
        for command in top.walk()
    ]
    return check_parsed(path, parsed, context, quoted)


def check_parsed(
    path: str,
    parsed: list[tuple[int, Command]],
    context: Context,
    quoted: Iterable[int] = (),
) -> list[Finding]:
    """:func:`check_commands` over commands already parsed (nested ones included)."""
    rules = context.rules
    warned = set(quoted)
    out: list[Finding] = []

    def add(rule_id: str, line: int, snippet: str, message: str) -> None:
        low = line in warned
        out.append(
            Finding.of(
                rules[rule_id],
                path,
                line,
                snippet,
                message + (" (quoted as a warning)" if low else ""),
                severity=Severity.LOW if low else None,
            )
        )

    for event in git_events(parsed):
        rule_id, template = _RULES[event.kind]
        add(rule_id, event.line, event.detail, template.format(detail=event.detail))
    for number, command in parsed:
        for name, kind in install_targets(command.words):
            known = squatted(name, kind)
            if known is not None:
                add(
                    "typosquat.dependency",
                    number,
                    " ".join(command.words),
                    f"installs {name!r}, one slip away from the popular {kind} package {known!r}",
                )
    return out
