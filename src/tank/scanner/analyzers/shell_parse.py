"""Shell parsing: command lines into pipelines of :class:`Command` (bashlex, or a tokenizer
when bashlex cannot), with ``$(…)``/``<(…)`` nested commands kept.

Pipelines are structure, not text: ``curl -s URL | sudo -E bash -``, ``bash <(curl URL)``
and ``sh -c "$(wget -qO- URL)"`` are one shape to the parser. Parsing never raises: a line
bashlex rejects (heredocs, odd quoting) is split on pipes and blanks instead.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tank.scanner.analyzers.base import Segment

__all__ = ["DOWNLOADERS", "INTERPRETERS", "Command", "commands_of", "shell_lines"]

DOWNLOADERS = frozenset(
    {
        "curl",
        "wget",
        "fetch",
        "iwr",
        "invoke-webrequest",
        "irm",
        "invoke-restmethod",
        "aria2c",
        "http",
        "lwp-download",
    }
)
INTERPRETERS = frozenset(
    {
        "sh",
        "bash",
        "zsh",
        "dash",
        "ksh",
        "fish",
        "python",
        "python3",
        "perl",
        "ruby",
        "node",
        "iex",
        "invoke-expression",
        "pwsh",
        "powershell",
        "eval",
        "source",
        ".",
    }
)
_WRAPPERS = frozenset({"sudo", "env", "command", "exec", "nohup", "time", "doas"})


@dataclass(frozen=True, slots=True)
class Command:
    """A simple command: its words, and commands nested in ``$(…)``/``<(…)`` inside it."""

    words: tuple[str, ...]
    nested: tuple[Command, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        """The program run, past ``sudo``/``env`` and their flags and assignments."""
        for word in self.words:
            if word in _WRAPPERS or word.startswith("-") or re.match(r"^\w+=", word):
                continue
            return word.rsplit("/", 1)[-1].lower()
        return ""

    def walk(self) -> Iterator[Command]:
        """This command and every nested one."""
        yield self
        for inner in self.nested:
            yield from inner.walk()


def _from_node(node: Any) -> list[list[Command]]:
    """Pipelines (lists of commands) in a bashlex node."""
    kind = getattr(node, "kind", "")
    if kind == "pipeline":
        return [[c for part in node.parts for p in _from_node(part) for c in p]]
    if kind == "command":
        words: list[str] = []
        nested: list[Command] = []
        for part in node.parts:
            if getattr(part, "kind", "") in ("word", "assignment"):
                words.append(part.word)
                # ``VAR=$(curl …)`` runs curl as surely as ``echo "$(curl …)"`` does
                for sub in getattr(part, "parts", []):
                    inner = getattr(sub, "command", None)
                    if inner is not None:
                        nested.extend(c for p in _from_node(inner) for c in p)
        return [[Command(tuple(words), tuple(nested))]]
    out: list[list[Command]] = []
    for child in [*getattr(node, "parts", []), *getattr(node, "list", [])]:
        out.extend(_from_node(child))
    inner = getattr(node, "command", None)
    if inner is not None:
        out.extend(_from_node(inner))
    return out


def _fallback(line: str) -> list[list[Command]]:
    pipelines = []
    for chunk in re.split(r"&&|\|\||;", line):
        commands = []
        for part in re.split(r"(?<!\|)\|(?!\|)", chunk):
            try:
                words = shlex.split(part, posix=True)
            except ValueError:
                words = part.split()
            nested = tuple(
                c
                for m in re.finditer(r"[$<]\(([^()]*)\)", part)
                for p in _fallback(m.group(1))
                for c in p
            )
            commands.append(Command(tuple(words), nested))
        pipelines.append(commands)
    return pipelines


def commands_of(line: str) -> list[list[Command]]:
    """The pipelines of one logical shell line; never raises."""
    try:
        import bashlex

        return [p for node in bashlex.parse(line) for p in _from_node(node)]
    except Exception:  # bashlex raises many kinds of errors on valid-but-odd shell
        return _fallback(line)


def shell_lines(segment: Segment) -> Iterator[tuple[int, str]]:
    """``(line number, logical line)`` with backslash continuations joined."""
    pending, start = "", segment.line
    for offset, raw in enumerate(segment.text.split("\n")):
        line = raw.rstrip()
        if not pending:
            start = segment.line + offset
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        text = (pending + line).strip()
        pending = ""
        text = re.sub(r"^(?:\$|>|PS>)\s+", "", text)  # a prompt in a docs transcript
        if text and not text.startswith("#") and len(text) < 4000:
            yield start, text
