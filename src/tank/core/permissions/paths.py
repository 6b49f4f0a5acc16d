"""Path globs of ``filesystem.read`` / ``filesystem.write``: syntax, matching, covering.

A glob is a root followed by ``/``-separated segments:

* roots: ``./`` is the project root, ``~/`` the user's home. Nothing else: absolute paths,
  bare relative paths and ``~user`` are refused (a skill has no business naming system
  paths; the sandbox gives it its own temporary directory). The two roots are unrelated:
  ``~/**`` does not cover ``./x`` even when the project lives in the home, because a
  lexical check cannot know that.
* segments: ``**`` (a whole segment) matches zero or more segments; in any other segment
  ``*`` matches any run of characters and ``?`` one character, neither crossing ``/``.
  Leading dots are not special (``./**`` includes ``./.env``): a permission means
  everything it says.
* ``./docs/**`` matches ``./docs`` itself too (so the folder can be listed), and
  everything below it.
* refused, to fail closed: ``.`` and ``..`` segments (``./docs/../secrets``), empty
  segments (``//``, trailing ``/``), backslashes, ``[ ] { }`` (character classes and
  alternatives are not supported, so writing them must not silently mean something else),
  control characters, and ``**`` inside a longer segment.

Matching is lexical: the caller hands in a normalised concrete path in the same notation
(``./a/b`` or ``~/a/b``) and resolves symlinks itself. A "concrete" path that contains
``*`` or ``?`` is read literally by :func:`path_matches` and as a glob by
:func:`path_covered`; the latter only makes the check stricter.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Final

from tank.core.permissions.names import InvalidEntry

ROOTS: Final = ("./", "~/")
EXAMPLE_HINT: Final = 'paths start with ./ (the project root) or ~/ (your home), e.g. "./docs/**"'

_FORBIDDEN: Final = frozenset("[]{}\\")


def _split(glob: str) -> tuple[str, tuple[str, ...]]:
    """Root (``.`` or ``~``) and segments of an already validated glob or path."""
    return glob[0], tuple(glob[2:].split("/"))


def _root_error(text: str) -> InvalidEntry:
    """The error for a path that does not start with one of the two roots, with a fitting hint."""
    if text in {".", "./", ".."} or text.startswith("../"):
        return InvalidEntry(f"{text!r} is not allowed here", 'write "./**" for the whole project')
    if text in {"~", "~/"}:
        return InvalidEntry(f"{text!r} is not allowed here", 'write "~/**" for the whole home')
    if text.startswith("~"):
        return InvalidEntry(f"{text!r}: only your own home (~/) can be named", EXAMPLE_HINT)
    if text.startswith("/"):
        return InvalidEntry(
            f"{text!r} is an absolute path; only paths under ./ or ~/ can be granted",
            EXAMPLE_HINT,
        )
    return InvalidEntry(f"{text!r} must start with ./ or ~/", f'did you mean "./{text}"?')


def canonical_path_glob(text: object) -> str:
    """Validate the path glob ``text`` and return it (the accepted form is already canonical).

    Raises :class:`InvalidEntry` with a hint on anything outside the syntax above.
    """
    if not isinstance(text, str):
        raise InvalidEntry(f"a path must be a string, not {type(text).__name__}")
    if not text:
        raise InvalidEntry("empty path", EXAMPLE_HINT)
    if any(not c.isprintable() for c in text):
        raise InvalidEntry(f"{text!r} contains control characters", EXAMPLE_HINT)
    if "\\" in text:
        raise InvalidEntry(f"{text!r} contains a backslash", "use / to separate folders")
    if not text.startswith(ROOTS) or len(text) == 2:
        raise _root_error(text)
    bad = sorted(_FORBIDDEN.intersection(text))
    if bad:
        raise InvalidEntry(
            f"{text!r}: {' '.join(bad)} are not supported in path globs",
            "only *, ? and ** are wildcards; list each path separately",
        )
    _, segments = _split(text)
    if "" in segments:
        hint = "remove the doubled /"
        if text.endswith("/"):
            hint = f'write "{text}**" to grant everything inside the folder'
        raise InvalidEntry(f"{text!r} has an empty path segment", hint)
    if "." in segments or ".." in segments:
        normal = posixpath.normpath(text[2:])
        hint = "write the path without . or .. segments"
        if normal != ".." and not normal.startswith("../") and normal != ".":
            hint += f', e.g. "{text[:2]}{normal}"'
        raise InvalidEntry(f"{text!r} contains a . or .. segment", hint)
    for segment in segments:
        if "**" in segment and segment != "**":
            raise InvalidEntry(
                f"{text!r}: ** must be a whole path segment",
                'write "./dir/**" for everything below a folder, or use * within a name',
            )
    return text


@lru_cache(maxsize=4096)
def _glob_or_none(text: str) -> str | None:
    try:
        return canonical_path_glob(text)
    except InvalidEntry:
        return None


@lru_cache(maxsize=4096)
def _compiled(glob: str) -> re.Pattern[str]:
    """The regular expression of a valid glob, compiled once per glob."""
    root, segments = _split(glob)
    parts = [re.escape(root)]
    for segment in segments:
        if segment == "**":
            parts.append("(?:/[^/]+)*")
            continue
        parts.append("/")
        for char in segment:
            parts.append("[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char))
    return re.compile("".join(parts))


def _is_concrete_path(path: str) -> bool:
    """Whether ``path`` is a normalised path under one of the roots (no ., .., or //)."""
    if not isinstance(path, str) or not path.startswith(ROOTS) or len(path) == 2:
        return False
    if any(not c.isprintable() for c in path):
        return False
    _, segments = _split(path)
    return not ({"", ".", ".."} & set(segments))


def path_matches(pattern: str, path: str) -> bool:
    """Whether the concrete ``path`` (``./a/b`` or ``~/a/b``) is allowed by the glob ``pattern``.

    Fails closed: an invalid glob, or a path with ``.``/``..``/empty segments, matches nothing.
    """
    glob = _glob_or_none(pattern)
    if glob is None or not _is_concrete_path(path):
        return False
    return _compiled(glob).fullmatch(path) is not None


def _normalise_runs(segments: tuple[str, ...]) -> tuple[str, ...]:
    """Reorder each run of ``*`` and ``**`` segments to ``*``×k then a single ``**``.

    Such a run means "at least k tokens" whatever its order, so this keeps the language and
    lets the greedy coverage check below see that ``**/*`` and ``*/**`` are the same.
    """
    out: list[str] = []
    run: list[str] = []
    for segment in (*segments, None):
        if segment in ("*", "**"):
            run.append(segment)
            continue
        if run:
            out.extend("*" for free in run if free == "*")
            if "**" in run:
                out.append("**")
            run = []
        if segment is not None:
            out.append(segment)
    return tuple(out)


#: Exploring more product states than this gives up and answers "not covered" (fail closed).
_MAX_STATES: Final = 20_000


def _closure(tokens: tuple[str, ...], states: Iterable[int]) -> frozenset[int]:
    """NFA states reachable without reading: a ``*`` may match nothing."""
    out: set[int] = set()
    for first in states:
        state = first
        while state not in out:
            out.add(state)
            if state < len(tokens) and tokens[state] == "*":
                state += 1
            else:
                break
    return frozenset(out)


def _step(tokens: tuple[str, ...], states: frozenset[int], char: str) -> frozenset[int]:
    """NFA states after reading ``char`` (the state index is the next token to match)."""
    moved: set[int] = set()
    for state in states:
        if state == len(tokens):
            continue
        wanted = tokens[state]
        if wanted == "*":
            moved.add(state)
        elif wanted in ("?", char):
            moved.add(state + 1)
    return _closure(tokens, moved)


@lru_cache(maxsize=8192)
def _segment_covered(item: str, budget: str) -> bool:
    """Whether every non-empty name the segment glob ``item`` matches is matched by ``budget``.

    Exact: both globs become automata over the letters they name plus one letter standing for
    every other character (all of which both treat alike), and a subset construction looks
    for a name ``item`` accepts and ``budget`` rejects. Names are never empty, so the empty
    word is not checked.
    """
    if budget in ("*", item):
        return True
    b, p = tuple(budget), tuple(item)
    other = "\x00"  # never in a valid glob (control characters are refused)
    alphabet = sorted({c for c in (*b, *p) if c not in "*?"} | {other})
    start = (_closure(p, (0,)), _closure(b, (0,)))
    seen = {start}
    todo = [start]
    while todo:
        p_states, b_states = todo.pop()
        for char in alphabet:
            nxt = (_step(p, p_states, char), _step(b, b_states, char))
            if not nxt[0]:
                continue
            # Checked before the "seen" test: the start pair, reached again by a non-empty
            # name, was never checked (it stands for the empty name there).
            if len(p) in nxt[0] and len(b) not in nxt[1]:
                return False
            if nxt in seen:
                continue
            if len(seen) >= _MAX_STATES:
                return False
            seen.add(nxt)
            todo.append(nxt)
    return True


def _free_segment(segment: str) -> str:
    """``*`` for a segment matching every name (``?*``, ``*?*``…), else the segment."""
    return "*" if segment != "**" and _segment_covered("*", segment) else segment


def _covers(budget: tuple[str, ...], item: tuple[str, ...]) -> bool:
    """Sound (never wrongly True) check that the segment sequence ``budget`` covers ``item``.

    A greedy walk with memo. Every step is a language inclusion; when none applies the answer
    is False, which only makes a budget stricter. Not complete (``./**/a`` is not seen to be
    inside ``./*/**``), hence the normalisation of runs of ``*`` and ``**`` beforehand.
    """
    memo: dict[tuple[int, int], bool] = {}

    def go(i: int, j: int) -> bool:
        key = (i, j)
        if key in memo:
            return memo[key]
        if i == len(budget):
            result = j == len(item)
        elif budget[i] == "**":
            # ** matches nothing, or swallows the item's next segment (any segment, even a
            # ** whose whole expansion it can absorb) and stays for more.
            result = go(i + 1, j) or (j < len(item) and go(i, j + 1))
        elif j == len(item) or item[j] == "**":
            result = False
        else:
            result = _segment_covered(item[j], budget[i]) and go(i + 1, j + 1)
        memo[key] = result
        return result

    return go(0, 0)


def path_covered(pattern_or_path: str, budget_pattern: str) -> bool:
    """Whether every path ``pattern_or_path`` can name is allowed by ``budget_pattern``.

    Sound and conservative: True means covered; when the check cannot prove it, False.
    ``./docs/**`` covers ``./docs/a/*.md`` and ``./docs/x``; ``./**`` covers every
    ``./…`` glob; ``~/**`` covers no ``./…`` glob. Invalid input is never covered.
    """
    item = _glob_or_none(pattern_or_path)
    budget = _glob_or_none(budget_pattern)
    if item is None or budget is None:
        return False
    if item == budget:
        return True
    item_root, item_segments = _split(item)
    budget_root, budget_segments = _split(budget)
    if item_root != budget_root:
        return False
    return _covers(
        _normalise_runs(tuple(map(_free_segment, budget_segments))),
        _normalise_runs(tuple(map(_free_segment, item_segments))),
    )
