"""Capabilities of code in languages without a parser here: Go, Ruby, Rust, Java and Kotlin,
PHP, Perl, Lua, C#, Swift.

Skills ship such code (a Go `main.go` run with `go run .`, a Ruby `bin/` script), and an
analyzer that knows nothing of it would pass whatever it does. This reader is lexical: it
finds the language's standard calls for the network, programs, the environment and files
(data in ``data/knowledge/languages.yaml``, one entry per language), the string literals of
the file (comments removed), and what they name. It infers *capabilities* (a host reached, a
program run, a secret read, a file outside the skill read or written), which skills.json must
declare, and the facts the generic rules build on (:mod:`.analyzers.generic`). It does not
fold strings built at run time; that is what the parsed languages get.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tank.scanner.analyzers.sensitive import URL
from tank.scanner.capabilities_model import Capabilities, add_host
from tank.scanner.capabilities_paths import outside_path
from tank.scanner.knowledge import load_knowledge, secret_env

__all__ = [
    "Language",
    "generic_uses",
    "language_of",
    "literals",
    "strip_comments",
    "without_strings",
]

_MAX_TEXT = 512 * 1024
_MAX_LITERALS = 5000
_SHEBANG = re.compile(r"^#!\s*(?:/usr/bin/env\s+(?:-S\s+)?)?(?:\S*/)?([A-Za-z0-9_.+-]+)")
#: Path pieces joined to the home folder: ``File.join(Dir.home, '.config', 'x')``,
#: ``filepath.Join(home, ".config", "x")`` (after ``home, _ := os.UserHomeDir()``).
_HOME_JOIN = re.compile(
    r"(?:File\.join|filepath\.Join|path\.join|Path\.Combine|Paths\.get|join_path|catfile)\s*\(\s*"
    r"(?:Dir\.home|os\.UserHomeDir\(\)|home(?:Dir|_dir)?|ENV\[['\"]HOME['\"]\]"
    r"|System\.getProperty\(\"user\.home\"\)|\$ENV\{HOME\}|dirs::home_dir\(\)\S*)\s*,"
    r"((?:\s*(?:\"[^\"\n]*\"|'[^'\n]*')\s*,?)+)",
)
_PIECE = re.compile(r"\"([^\"\n]*)\"|'([^'\n]*)'")


@dataclass(frozen=True, slots=True)
class Language:
    """One language's calls, as regular expressions over the code without comments."""

    name: str
    comment: re.Pattern[str]
    network: re.Pattern[str]
    process: re.Pattern[str]
    env: re.Pattern[str]
    write: re.Pattern[str]
    chmod_exec: re.Pattern[str]


@lru_cache(maxsize=1)
def _languages() -> tuple[tuple[tuple[str, ...], tuple[str, ...], Language], ...]:
    data = load_knowledge("languages.yaml")
    out = []
    for name, entry in data["languages"].items():
        language = Language(
            name,
            re.compile(entry["comment"], re.MULTILINE),
            re.compile(entry["network"]),
            re.compile(entry["process"]),
            re.compile(entry["env"]),
            re.compile(entry["write"]),
            re.compile(entry["chmod_exec"]),
        )
        out.append((tuple(entry["suffixes"]), tuple(entry.get("shebangs", [])), language))
    return tuple(out)


def language_of(path: str, text: str) -> Language | None:
    """The language of a file the parsed analyzers do not read, by suffix then shebang."""
    lower = path.lower()
    shebang = _SHEBANG.match(text[:200])
    interpreter = shebang.group(1) if shebang else ""
    for suffixes, shebangs, language in _languages():
        if lower.endswith(suffixes) or (
            interpreter and interpreter.rstrip("0123456789.") in shebangs
        ):
            return language
    return None


def literals(text: str, language: Language) -> list[tuple[int, str]]:
    """``(line, value)`` of the string literals of ``text`` (comments removed; escapes kept
    as written; Go's and JS's raw back-quoted strings included)."""
    code = strip_comments(text[:_MAX_TEXT], language)
    out: list[tuple[int, str]] = []
    for match in _STRING.finditer(code):
        value = next((g for g in match.groups() if g is not None), "")
        out.append((code.count("\n", 0, match.start()) + 1, value))
        if len(out) >= _MAX_LITERALS:
            break
    return out


_STRING = re.compile(
    r"\"((?:[^\"\\\n]|\\.){0,2000})\"|'((?:[^'\\\n]|\\.){0,2000})'|`([^`]{0,2000})`"
)


def strip_comments(text: str, language: Language) -> str:
    """``text`` with the language's line comments blanked (line numbers kept); a comment
    marker inside a string literal is left alone."""

    def blank(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return match.group(0)
        return re.sub(r"[^\n]", " ", match.group(0))

    return language.comment.sub(blank, text)


_QUOTED = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'")


def without_strings(code: str) -> str:
    """``code`` with the contents of its quoted strings blanked (a backquoted command inside
    a Ruby string is text, not a command)."""
    return _QUOTED.sub(lambda m: m.group(0)[0] + " " * (len(m.group(0)) - 2) + m.group(0)[-1], code)


def generic_uses(path: str, text: str, language: Language, caps: Capabilities) -> None:
    """Add what the code at ``path`` uses to ``caps``: the network and its hosts, programs,
    secret environment variables, files under the home folder read or written."""
    code = strip_comments(text[:_MAX_TEXT], language)
    bare = without_strings(code)
    found = language.network.search(bare)
    strings = literals(text, language)
    if found:
        caps.network = caps.network or (path, _line(code, found.start()))
        for line, value in strings:
            for url in URL.finditer(value):
                add_host(url.group(1), (path, line), caps)
    found = language.process.search(bare)
    if found and caps.subprocess is None:
        caps.subprocess = (path, _line(code, found.start()))
    for match in language.env.finditer(code):
        name = next((g for g in match.groups() if g), "")
        if name and secret_env(name):
            caps.secrets.setdefault(name, (path, _line(code, match.start())))
    writes = {_line(code, m.start()) for m in language.write.finditer(code)}
    for line, raw in _home_paths(code, strings):
        glob = outside_path(raw, write=line in writes)
        if glob is None:
            continue
        if line in writes:
            caps.writes.setdefault(glob, (path, line))
        else:
            caps.reads.setdefault(glob, (path, line))


def _home_paths(code: str, strings: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Paths under the home folder the code names: ``"~/.config/x"`` literals and pieces
    joined to the home folder."""
    out = [(line, value) for line, value in strings if value.startswith("~/")]
    for match in _HOME_JOIN.finditer(code):
        pieces = [a or b for a, b in _PIECE.findall(match.group(1))]
        if pieces:
            out.append((_line(code, match.start()), "~/" + "/".join(p.strip("/") for p in pieces)))
    return out


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
