"""Typosquatting: names one slip away from a well-known skill or package.

A name imitates a known one when it is not itself known and (a) has the same *skeleton*
(casefolded, look-alike letters and digits mapped to one form, separators dropped: ``rn`` →
``m``, Cyrillic ``а`` → ``a``, ``0`` → ``o``, ``py_yaml`` → ``pyyaml``), or (b) is at
Damerau-Levenshtein distance 1 from it (one letter added, dropped, changed or two swapped)
and both are long enough for that to be unlikely by chance (:data:`MIN_EDIT_LENGTH`).
The reference lists are data (``tank/scanner/data/*.txt``), loaded on first use.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["MIN_EDIT_LENGTH", "Reference", "one_edit", "reference", "skeleton", "squatted"]

#: One edit counts when the longer name has at least this many characters and the shorter
#: one at least one less: among short names one edit is everywhere (``docs``/``docx``,
#: ``vue``/``vuex``, ``flask``/``flash``), so those are compared by skeleton only.
MIN_EDIT_LENGTH = 6
#: Look-alikes, after NFKC and casefolding: Cyrillic and Greek letters that render as Latin
#: ones, and the digits and pairs that pass for letters.
_CONFUSABLE = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "l", "ј": "j",
        "ԁ": "d", "ɡ": "g", "ο": "o", "α": "a", "ε": "e", "ι": "l", "κ": "k", "ν": "v",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "0": "o", "1": "l", "i": "l", "|": "l",
        "3": "e", "5": "s", "$": "s", "@": "a",
    }
)  # fmt: skip
_PAIRS = (("rn", "m"), ("vv", "w"))
_SEPARATORS = re.compile(r"[\s._\-]+")


def skeleton(name: str) -> str:
    """The form two look-alike names share (see the module docstring)."""
    text = unicodedata.normalize("NFKC", name).casefold().translate(_CONFUSABLE)
    text = _SEPARATORS.sub("", text)
    for pair, single in _PAIRS:
        text = text.replace(pair, single)
    return text


def one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by exactly one insertion, deletion, substitution or
    swap of two adjacent characters (Damerau-Levenshtein distance 1)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    if a[i + 1 :] == b[i + 1 :]:
        return True
    return i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]


@dataclass(frozen=True, slots=True)
class Reference:
    """A list of well-known names, indexed for look-ups."""

    names: frozenset[str]
    skeletons: dict[str, str]
    by_length: dict[int, tuple[str, ...]]


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.strip().lower())


@lru_cache(maxsize=4)
def reference(kind: str) -> Reference:
    """The reference list ``kind`` (``skills``, ``pypi`` or ``npm``), read on first use."""
    text = (resources.files("tank.scanner") / "data" / f"{kind}.txt").read_text("utf-8")
    names = [_normal(line) for raw in text.splitlines() if (line := raw.split("#", 1)[0].strip())]
    skeletons: dict[str, str] = {}
    by_length: dict[int, list[str]] = {}
    for name in names:
        bare = name.rsplit("/", 1)[-1]
        skeletons.setdefault(skeleton(bare), name)
        by_length.setdefault(len(bare), []).append(name)
    return Reference(frozenset(names), skeletons, {k: tuple(v) for k, v in by_length.items()})


def squatted(name: str, kind: str) -> str | None:
    """The well-known ``kind`` name that ``name`` imitates, or None."""
    ref = reference(kind)
    normal = _normal(name)
    if not normal or normal in ref.names:
        return None
    bare = normal.rsplit("/", 1)[-1]
    if normal.startswith("@") and kind == "npm":
        return _squatted_scope(normal, ref)
    if normal.startswith("@") and f"@{bare}" not in ref.names and bare in ref.names:
        return None  # @someone/lodash: a scoped fork is named after what it forks
    twin = ref.skeletons.get(skeleton(name.rsplit("/", 1)[-1]))
    if twin is not None and twin != normal:
        return twin
    if len(bare) < MIN_EDIT_LENGTH - 1:
        return None
    for length in (len(bare) - 1, len(bare), len(bare) + 1):
        for known in ref.by_length.get(length, ()):
            known_bare = known.rsplit("/", 1)[-1]
            longest = max(len(bare), len(known_bare))
            shortest = min(len(bare), len(known_bare))
            long_enough = longest >= MIN_EDIT_LENGTH and shortest >= MIN_EDIT_LENGTH - 1
            if long_enough and one_edit(bare, known_bare):
                return known
    return None


def _squatted_scope(normal: str, ref: Reference) -> str | None:
    """A scoped name imitates only a known name of the same package in a look-alike scope
    (``@typse/node`` for ``@types/node``). Only a scope's owner publishes in it, so a name
    in some other scope is not a typo of an unscoped package (``@acme/expres`` is acme's
    own), and a name close to a known one in the *same* scope is that owner's too."""
    scope, _, bare = normal[1:].partition("/")
    if not bare:
        return None
    for known in ref.by_length.get(len(bare), ()):
        if not known.startswith("@") or known.rsplit("/", 1)[-1] != bare:
            continue
        known_scope = known[1:].partition("/")[0]
        if known_scope == scope:
            continue
        look_alike = skeleton(known_scope) == skeleton(scope)
        near = min(len(scope), len(known_scope)) >= MIN_EDIT_LENGTH - 2 and one_edit(
            scope, known_scope
        )
        if look_alike or near:
            return known
    return None
