"""How install and update show git sources: the commits and files a ``tank update`` moved a
git skill across, a tag that moved, and the question which skills of a repository to install.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

import click

from tank.core.errors import UsageError

#: Most file names listed per git skill moved by an update.
_MOVED_FILES_SHOWN = 20


def warn_moved_tags(moves: Any) -> None:
    """A loud line for each git skill whose locked tag now names another commit."""
    for move in moves:
        if move.tag_moved:
            sys.stderr.write(
                f"warning: tag {move.ref} of {move.spec} now names commit {move.new[:12]}, not "
                f"the locked {move.old[:12]}: a tag that moves can be a rewritten release or a "
                "compromised repository; review the files listed (git diff OLD NEW in the "
                "repository shows every change)\n"
            )


def git_files(moves: Any, name: str, out: Any) -> None:
    """``    commit a → b: 1 file added, 2 changed`` and the files, under a git skill's line."""
    from tank.cli.render_skill import safe_text

    for move in moves:
        if move.name != name:
            continue
        rows = [
            *(f"+ {p}" for p in move.added),
            *(f"~ {p}" for p in move.changed),
            *(f"- {p}" for p in move.removed),
        ]
        counts = (
            f"{len(move.added)} added, {len(move.changed)} changed, {len(move.removed)} removed"
        )
        out.write(f"    commit {move.old[:12]} → {move.new[:12]}: files {counts}\n")
        for row in rows[:_MOVED_FILES_SHOWN]:
            out.write(f"      {safe_text(row)}\n")
        if len(rows) > _MOVED_FILES_SHOWN:
            out.write(f"      … and {len(rows) - _MOVED_FILES_SHOWN} more\n")


def skill_chooser(
    can_ask: bool, before: Callable[[], None]
) -> Callable[[Sequence[str]], list[str]] | None:
    """The ``Options.choose_skills`` callback on a terminal (``None`` when no question may
    be asked: the install then stops and lists the skills): list the skills of a repository
    holding several, numbered, and ask which to install (numbers, or ``all``)."""
    if not can_ask:
        return None

    def choose(specs: Sequence[str]) -> list[str]:
        from tank.cli.render_skill import safe_text

        before()  # a progress bar must not draw over the question
        out = sys.stdout
        out.write(f"The repository holds {len(specs)} skills:\n")
        for number, spec in enumerate(specs, start=1):
            out.write(f"  {number}. {safe_text(spec)}\n")
        out.flush()
        try:
            answer = click.prompt(
                "Install which? (numbers separated by spaces, or all)", default=""
            )
        except click.exceptions.Abort:  # EOF or Ctrl-C: none
            out.write("\n")
            return []
        words = str(answer).replace(",", " ").split()
        if [w.lower() for w in words] == ["all"]:
            return list(specs)
        chosen: list[str] = []
        for word in words:
            if not word.isdigit() or not 1 <= int(word) <= len(specs):
                raise UsageError(
                    f"{word[:40]!r} is not one of the numbers 1 to {len(specs)}",
                    code="git_bad_choice",
                    hint="run the install again and answer with the numbers shown, or all",
                )
            chosen.append(specs[int(word) - 1])
        return list(dict.fromkeys(chosen))

    return choose
