"""Gated payloads in shell: ``if [ "$(date +%s)" -gt 1767225600 ]; then curl … | sh; fi``,
``[ "$(hostname)" = build-01 ] && rm -rf ~/src``, ``[ -z "$CI" ] && curl -d @~/.npmrc …``.

The same model as the Python and JavaScript rules: a strong gate (the date against a
literal, the host or user name against a literal) around network, deletion, decoding,
eval or persistence; a weak gate (CI or sandbox checks) only around deletion, decoding,
eval, persistence or uploads. Conditions are found with bounded regexes (``if … then …
fi`` and ``[ … ] && …``); the shell is too loose a language for more.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tank.scanner.analyzers.sensitive import CI_VARS, IDENTITY_VARS, PERSISTENCE_COMMAND

__all__ = ["shell_gates"]

_IF = re.compile(r"\bif\s+(?P<cond>[^\n]{1,300}?);?\s*then\b(?P<body>.{0,2000}?)\bfi\b", re.S)
_AND = re.compile(
    r"(?P<cond>(?:\[\[?|\btest\s)[^\n]{1,300}?(?:\]\]?|$))\s*(?P<op>&&|\|\|)\s*(?P<body>[^\n]+)"
)
_DATE = re.compile(r"\$\(\s*date\b[^)]*\+%[sYmdjFVG]")
_LITERAL = re.compile(r"(?:-gt|-ge|-lt|-le|-eq|-ne|[<>]=?|!?==?)\s*['\"]?\d{4,}")
_IDENTITY = re.compile(
    r"\$\(\s*(?:hostname|whoami|id\s+-un|uname\s+-n)\b[^)]*\)|`(?:hostname|whoami)`"
    r"|\$\{?(?:" + "|".join(sorted(IDENTITY_VARS)) + r")\b"
)
_STRING_TEST = re.compile(r"!?==?\s*['\"]?[\w.@-]{2,}|\bcase\b")
_EVASION = re.compile(
    r"\$\{?(?:" + "|".join(sorted(CI_VARS)) + r")\b|/\.dockerenv|/proc/1/cgroup|\$\(nproc\)"
)
_ACTIONS = (
    (
        "deletes files",
        re.compile(
            r"\brm\s+-(?:[a-z]*r[a-z]*f|[a-z]*f[a-z]*r)\b|\bshred\b|\bdd\s+if="
            r"|\bfind\b[^\n]*\s(?:-delete\b|-exec\s+rm\b)"
        ),
    ),
    ("decodes a payload", re.compile(r"\bbase64\s+(?:-d|--decode)\b|\bxxd\s+-r\b|\beval\b")),
    ("runs downloaded code", re.compile(r"\b(?:curl|wget)\b[^\n|]*\|\s*(?:sudo\s+)?(?:ba|z)?sh\b")),
    ("persistence", PERSISTENCE_COMMAND),
    ("uploads", re.compile(r"\bcurl\b[^\n]*\s(?:-d|--data\S*|-F|--form|-T|--upload-file)\s")),
    ("network", re.compile(r"\b(?:curl|wget|nc|ncat|scp|rsync|ssh)\b")),
)
_WEAK_ENOUGH = frozenset(
    {"deletes files", "decodes a payload", "runs downloaded code", "persistence", "uploads"}
)


def _gate(cond: str) -> tuple[str, bool] | None:
    if _DATE.search(cond) and _LITERAL.search(cond):
        return "a fixed date", True
    if _IDENTITY.search(cond) and _STRING_TEST.search(cond):
        return "the host or user name", True
    if _EVASION.search(cond):
        return "not running in CI or a sandbox", False
    return None


_ASSIGN = re.compile(
    r"^[ \t]*(?:local\s+|export\s+|readonly\s+)?(\w+)=(\$\([^)\n]*\)|`[^`\n]*`)", re.M
)


def _expand(cond: str, values: dict[str, str]) -> str:
    """``"$today"`` → ``"$(date +%F)"`` when the script set ``today=$(date +%F)``."""
    return re.sub(r"\$\{?(\w+)\}?", lambda m: values.get(m.group(1), m.group(0)), cond)


def shell_gates(text: str, first_line: int = 1) -> Iterator[tuple[int, str, set[str]]]:
    """``(line, what the gate depends on, actions)`` for each gated payload in ``text``.
    Variables set from a command (``today=$(date +%F)``) are read as that command."""
    seen: set[int] = set()
    values = {m.group(1): m.group(2) for m in _ASSIGN.finditer(text)}
    for pattern in (_IF, _AND):
        for match in pattern.finditer(text):
            gate = _gate(_expand(match.group("cond"), values))
            if gate is None:
                continue
            body = match.group("body")
            actions = {name for name, action in _ACTIONS if action.search(body)}
            if not gate[1]:
                actions &= _WEAK_ENOUGH
            line = first_line + text.count("\n", 0, match.start())
            if actions and line not in seen:
                seen.add(line)
                yield line, gate[0], actions
