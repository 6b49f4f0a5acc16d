"""How a skill's script is started: by its suffix, else by its ``#!`` line (pure).

Python scripts run inside the launcher's own interpreter (no exec at all, so a skill without
``subprocess`` can be forbidden every ``execve``); anything else is exec'd once through its
interpreter, found on the sandbox's PATH.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from tank.core.errors import UsageError

#: Interpreters by file suffix. ``python`` means "in the launcher's interpreter".
SUFFIXES = {
    ".py": "python",
    ".js": "node",
    ".mjs": "node",
    ".cjs": "node",
    ".sh": "sh",
    ".bash": "bash",
}
_MAX_SHEBANG = 256


@dataclass(frozen=True, slots=True)
class Entry:
    """A script to run: ``interpreter`` is ``python`` (in-process) or a program name or path,
    with ``options`` from the ``#!`` line (``#!/usr/bin/env -S node --x`` is not supported)."""

    script: str
    interpreter: str
    options: tuple[str, ...] = ()

    @property
    def in_process(self) -> bool:
        """Whether the launcher runs it itself (Python) rather than exec'ing an interpreter."""
        return self.interpreter == "python"


def _shebang(first_line: bytes) -> tuple[str, tuple[str, ...]] | None:
    if not first_line.startswith(b"#!"):
        return None
    text = first_line[2:_MAX_SHEBANG].decode("utf-8", "replace").strip()
    words = text.split()
    if not words:
        return None
    program, args = words[0], words[1:]
    if posixpath.basename(program) == "env":
        if not args or args[0].startswith("-"):
            return None
        program, args = args[0], args[1:]
    name = posixpath.basename(program)
    if name.startswith("python"):
        return "python", ()
    return program, tuple(args)


def choose_entry(script: str, first_line: bytes) -> Entry:
    """The :class:`Entry` for ``script`` (a path relative to the skill folder) given its first
    line. Raises :class:`UsageError` when it cannot tell how to run it."""
    suffix = posixpath.splitext(script)[1].lower()
    if suffix in SUFFIXES:
        interpreter = SUFFIXES[suffix]
        found = _shebang(first_line)
        # A .sh with "#!/bin/bash" wants bash; a .py always runs in-process.
        if found is not None and interpreter != "python" and found[0] != "python":
            return Entry(script, found[0], found[1])
        return Entry(script, interpreter)
    found = _shebang(first_line)
    if found is None:
        raise UsageError(
            f"cannot tell how to run {script!r}: no known suffix and no #! line",
            code="run.unknown_interpreter",
            hint="name it .py, .js, .mjs, .sh or .bash, or start it with a line such as "
            "'#!/usr/bin/env node'",
        )
    return Entry(script, found[0], found[1])
