"""PowerShell flows that the line-by-line pass of :mod:`.shell_flow` does not see.

Two things a stealer written in PowerShell does that shell rarely does:

* it reads the **clipboard** (``Get-Clipboard``, ``[Windows.Forms.Clipboard]::GetText()``):
  what the user copied — passwords, keys, seed phrases — sent anywhere outside is theft,
  whatever the skill declares (as in the Python and JS analyzers);
* it hands what it read to a **function that sends its parameter out**, often in a module
  of its own (``Import-Module ./Sync.psm1``; ``Sync-ToPhone -Text $t``, whose body posts
  ``$Text`` with ``Invoke-RestMethod``). Every ``.ps1``/``.psm1`` of the skill is read for
  such functions (:func:`senders`), and a call with tainted data is a flow whose sink is in
  the function's file.

Works on folded lines (:func:`.ps_fold.fold_script`). Bounded: at most :data:`MAX_FILES`
scripts of at most :data:`MAX_TEXT` characters are read for functions, at most
:data:`_MAX_LINES` lines each, a function's body at most :data:`_MAX_BODY` lines and
:data:`_MAX_WORK` body lines per script in all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from tank.scanner.analyzers.ps_fold import fold_script
from tank.scanner.analyzers.shell_flow import DATA, classify_source, sink_of

__all__ = ["MAX_FILES", "MAX_TEXT", "PsFlow", "Sender", "ps_flows", "senders"]

MAX_FILES = 50
MAX_TEXT = 256 * 1024
_MAX_LINES = 5000
_MAX_BODY = 400
_MAX_TAINTED = 200
#: Function-body lines read per script, in all.
_MAX_WORK = 20_000

#: Reads of the clipboard: what the user copied (passwords, keys, seed phrases).
_CLIPBOARD = re.compile(
    r"\bGet-Clipboard\b|\bgcb\b|\[(?:System\.)?Windows\.(?:Forms\.)?Clipboard\]::Get\w+"
    r"|\bClipboard\]::GetText\b",
    re.I,
)
_FUNCTION = re.compile(r"^\s*(?:function|filter)\s+([\w-]+)\s*(\([^)]*\))?", re.I)
_PARAM = re.compile(r"\bparam\s*\(", re.I)
_VARIABLE = re.compile(r"\$(?:script:|global:|local:)?(\w+)", re.I)
_ASSIGN = re.compile(r"\$(?:script:|global:)?(\w+)\s*(?:\+|\.)?=(?!=)", re.I)
_FOREACH = re.compile(r"\bforeach\s*\(\s*\$(\w+)\s+in\b", re.I)
_SCRIPT_EXT = (".ps1", ".psm1")


@dataclass(frozen=True, slots=True)
class Sender:
    """A function that sends one of its parameters out: where, and through what."""

    name: str
    path: str
    line: int
    sink: str
    #: For a function that reads sensitive data and returns it: what it reads (no sink).
    source: str = ""


@dataclass(frozen=True, slots=True)
class PsFlow:
    """Data from ``source`` (line ``source_line`` of this file) leaving at ``sink_line`` of
    ``sink_path`` (this file, or the module of the function it was handed to)."""

    source_line: int
    source: str
    #: Where the data leaves this file: the sink, or the call of the function that sends it.
    line: int
    sink_path: str
    sink_line: int
    sink: str


def _uses(line: str, names: Mapping[str, object]) -> str | None:
    for found in _VARIABLE.finditer(line):
        if found.group(1).lower() in names:
            return found.group(1).lower()
    return None


def _body(lines: list[tuple[int, str]], at: int) -> list[tuple[int, str]]:
    """The lines of the function whose header is ``lines[at]`` (braces counted)."""
    out: list[tuple[int, str]] = []
    depth, opened = 0, False
    for number, line in lines[at : at + _MAX_BODY]:
        out.append((number, line))
        depth += line.count("{") - line.count("}")
        opened = opened or "{" in line
        if opened and depth <= 0:
            break
    return out


def _parameters(header: re.Match[str], body: list[tuple[int, str]]) -> set[str]:
    """The parameter names of a function: ``function F($a, $b)`` or its ``param(…)`` block."""
    names = {v.lower() for v in _VARIABLE.findall(header.group(2) or "")}
    text = "\n".join(line for _, line in body)
    found = _PARAM.search(text)
    if found:
        depth, end = 0, found.end() - 1
        for end in range(found.end() - 1, min(len(text), found.end() + 4000)):
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            if depth == 0:
                break
        names |= {v.lower() for v in _VARIABLE.findall(text[found.end() : end])}
    return names


@lru_cache(maxsize=64)
def _functions_of(path: str, text: str) -> tuple[Sender, ...]:
    """The functions of a script that send a parameter out (``sink`` names the sink), and
    those that read sensitive data and hand it back (``sink`` is ``""``, ``line`` is the
    read, and :attr:`Sender.source` says what)."""
    lines = fold_script(text[:MAX_TEXT]).lines[:_MAX_LINES]
    out = []
    budget = _MAX_WORK  # nested or unclosed functions must not make this quadratic
    for at, (_, line) in enumerate(lines):
        header = _FUNCTION.match(line)
        if header is None or budget <= 0:
            continue
        body = _body(lines, at)
        budget -= len(body)
        tainted: dict[str, int] = dict.fromkeys(_parameters(header, body), 0)
        # a one-line function's statements follow its ``{`` on the header line
        first = body[0][1].partition("{")[2]
        statements = [(body[0][0], first), *body[1:]] if first else body[1:]
        read = next(((n, s) for n, s in ((n, _source(t)) for n, t in statements) if s), None)
        if read is not None:
            out.append(Sender(header.group(1), path, read[0], "", source=read[1]))
        for number, statement in statements:
            if _uses(statement, tainted) is None:
                continue
            for assigned in _ASSIGN.finditer(statement):
                if len(tainted) < _MAX_TAINTED:
                    tainted.setdefault(assigned.group(1).lower(), number)
            sink = sink_of(statement)
            if sink is not None:
                out.append(Sender(header.group(1), path, number, sink))
                break
    return tuple(out)


def senders(files: Mapping[str, bytes], here: tuple[str, str]) -> dict[str, Sender]:
    """Functions (by lower-case name) of the skill's PowerShell scripts, and of ``here``
    (``(path, text)``, the file being read), that send a parameter to an outside sink, or
    (``Sender.source`` set) read sensitive data and return it (``$s = Get-CachedToken``)."""
    scripts = [here] + [
        (p, d[:MAX_TEXT].decode("utf-8", "replace"))
        for p, d in files.items()
        if p.lower().endswith(_SCRIPT_EXT) and p != here[0]
    ]
    out: dict[str, Sender] = {}
    for path, text in scripts[:MAX_FILES]:
        for found in _functions_of(path, text):
            key = found.name.lower() + ("" if found.sink else "\0read")
            out.setdefault(key, found)
    return out


def _called(line: str, readers: Mapping[str, Sender]) -> str | None:
    """What a call of a reading function on ``line`` hands back (``$s = Get-CachedToken``)."""
    for name, reader in readers.items():
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", line, re.I):
            return f"{reader.source} (read by {reader.name}, {reader.path}:{reader.line})"
    return None


def _source(line: str) -> str | None:
    found = _CLIPBOARD.search(line)
    if found:
        return f"the clipboard ({found.group(0)})"
    classified = classify_source(line)
    return classified[0] if classified and classified[1] == DATA else None


def ps_flows(
    path: str, lines: list[tuple[int, str]], functions: Mapping[str, Sender]
) -> list[PsFlow]:
    """Flows over folded ``lines`` of ``path``: the clipboard (or other sensitive data)
    reaching an outside sink directly or through a function of ``functions``."""
    tainted: dict[str, tuple[int, str]] = {}
    out: list[PsFlow] = []
    readers = {k.removesuffix("\0read"): f for k, f in functions.items() if not f.sink}
    functions = {k: f for k, f in functions.items() if f.sink}
    for number, line in lines[:_MAX_LINES]:
        header = _FUNCTION.match(line)
        if header is not None and header.group(1).lower() in {*functions, *readers}:
            continue  # the definition of a function is not a call of it
        read = _source(line) or _called(line, readers)
        used = _uses(line, tainted)
        origin = (number, read) if read else tainted.get(used) if used else None
        if origin is None:
            continue
        for assigned in _ASSIGN.finditer(line):
            if len(tainted) < _MAX_TAINTED:
                tainted.setdefault(assigned.group(1).lower(), origin)
        loop = _FOREACH.search(line)
        if loop and len(tainted) < _MAX_TAINTED:
            tainted.setdefault(loop.group(1).lower(), origin)
        sink = sink_of(line)
        if sink is not None:
            out.append(PsFlow(origin[0], origin[1], number, path, number, sink))
            continue
        for name, sender in functions.items():
            if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", line, re.I):
                through = f"{sender.sink} in {sender.name} ({sender.path}:{sender.line})"
                out.append(PsFlow(origin[0], origin[1], number, sender.path, sender.line, through))
                break
    return out
