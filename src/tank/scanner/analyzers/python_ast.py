"""Small AST helpers and the Python vocabulary the analyzers share: names of decoders,
exec-like builtins, network sinks, file openers and writers."""

from __future__ import annotations

import ast
from collections.abc import Callable

__all__ = [
    "COMMANDS",
    "DECODERS",
    "EXEC",
    "OPENERS",
    "SINKS",
    "WRITE_CALLS",
    "argv_line",
    "call_name",
    "calls",
    "command_line",
    "dotted",
    "names",
    "strings",
]

#: Calls that turn stored bytes back into something runnable.
DECODERS = frozenset(
    {
        "b64decode",
        "b32decode",
        "b16decode",
        "b85decode",
        "a85decode",
        "decodebytes",
        "urlsafe_b64decode",
        "fromhex",
        "unhexlify",
        "decompress",
        "loads",
        "decode",
        "rot13",
        "reversed",
        "chr",
    }
)
EXEC = frozenset({"exec", "eval", "compile", "execfile"})
#: Calls that send data somewhere (HTTP clients, sockets, mail, FTP, cloud uploads).
SINKS = frozenset(
    {
        "post",
        "put",
        "patch",
        "get",
        "request",
        "urlopen",
        "Request",
        "send",
        "sendall",
        "sendto",
        "sendmail",
        "upload_file",
        "storbinary",
        "connect",
    }
)
OPENERS = frozenset(
    {
        "open",
        "read_text",
        "read_bytes",
        "Path",
        "expanduser",
        "glob",
        "copy",
        "copyfile",
        "make_archive",
        "listdir",
        "walk",
    }
)
WRITE_CALLS = frozenset(
    {
        "write_text",
        "write_bytes",
        "write",
        "writelines",
        "system",
        "run",
        "Popen",
        "call",
        "check_call",
        "check_output",
    }
)


#: Calls that run a program (subprocess, os, asyncio, pty).
COMMANDS = frozenset(
    {"system", "popen", "Popen", "run", "call", "check_call", "check_output", "getoutput"}
    | {"getstatusoutput", "spawn", "spawnl", "spawnlp", "spawnv", "spawnvp", "execv", "execvp"}
    | {"execl", "execlp", "create_subprocess_exec", "create_subprocess_shell"}
)
_VARIADIC = frozenset({"create_subprocess_exec", "execl", "execlp", "spawnl", "spawnlp"})


def command_line(
    call: ast.Call,
    fold: Callable[[ast.AST], str | None] | None = None,
    argv: Callable[[ast.AST], str | None] | None = None,
) -> str | None:
    """The command a subprocess-like call runs, as one shell-like line (``$X`` for values
    known only at run time, unless ``fold`` knows them; ``argv`` folds a whole command kept
    in a variable); None for other calls. A helper called like ``run("git", "push", …)``
    (several strings, not a list) runs them all."""
    name = call_name(call)
    if name not in COMMANDS or not call.args:
        return None
    first = call.args[0]
    if isinstance(first, ast.List | ast.Tuple):
        parts = [_piece(e, fold) for e in first.elts]
    elif name in _VARIADIC or (
        len(call.args) > 1 and isinstance(first, ast.Constant) and isinstance(first.value, str)
    ):
        parts = [_piece(a, fold) for a in call.args if not isinstance(a, ast.Starred)]
    else:
        parts = [_piece(first, argv or fold)]
    return " ".join(parts)


def argv_line(args: list[ast.expr], fold: Callable[[ast.AST], str | None] | None = None) -> str:
    """A command given as separate arguments (``run("git", "push", …)``), as one line."""
    return " ".join(_piece(a, fold) for a in args if not isinstance(a, ast.Starred))


def _piece(node: ast.AST, fold: Callable[[ast.AST], str | None] | None = None) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    folded = fold(node) if fold is not None else None
    if folded is not None:
        return folded
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "$X"
            for v in node.values
        )
    return "$X"


def call_name(node: ast.AST) -> str:
    """``a.b.c(...)`` → ``"c"``; ``f(...)`` → ``"f"``; anything else → ``""``."""
    func = node.func if isinstance(node, ast.Call) else node
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def dotted(node: ast.AST) -> str:
    """``os.environ`` → ``"os.environ"``; anything but names and attributes → ``""``."""
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def strings(node: ast.AST) -> list[str]:
    """Every string constant under ``node``."""
    return [
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def names(node: ast.AST) -> set[str]:
    """Every plain name used under ``node``."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def calls(node: ast.AST) -> list[ast.Call]:
    """Every call under ``node`` (``node`` included)."""
    return [n for n in ast.walk(node) if isinstance(n, ast.Call)]
