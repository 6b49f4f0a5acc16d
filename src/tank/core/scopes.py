"""Scope names that could pass for another: reserved names, confusables and near misses.

A scope (``@acme``) is who a skill comes from, so a name that *looks* like an existing scope
is an impersonation risk. :func:`resemblance` answers, for a new user or org name, which
existing or reserved scope it could pass for:

* **reserved** — its skeleton is that of a reserved name (``r00t`` for ``root``);
* **confusable** — its skeleton equals an existing scope's: Unicode confusables as in
  UTS #39 (Cyrillic ``а`` for Latin ``a``, ``rn`` for ``m``, ``0`` for ``o``), NFKC
  compatibility forms and case, and ``-``/``_`` ignored (``ac-me`` for ``acme``);
* **near** — its skeleton is one edit (insert, delete, substitute or swap two neighbours)
  from a *verified* scope's (``acmee`` for a verified ``acme``). Only verified scopes are
  guarded this way: among all scopes, one-letter differences are mostly legitimate.

Pure: no database, no network. The registry supplies the existing names.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

#: Names nobody may take without the registry admin's approval (one definition, shared by the
#: registry's default settings and ``tank init``'s suggestion).
RESERVED_SCOPES: tuple[str, ...] = (
    "admin", "api", "anthropic", "claude", "codex", "cursor", "gemini", "github", "google",
    "microsoft", "npm", "official", "openai", "registry", "root", "security", "support",
    "system", "tank", "www",
)  # fmt: skip

# Separators do not distinguish names: ``ac-me``, ``ac_me`` and ``acme`` read alike.
_SEPARATORS = str.maketrans("", "", "-_. ")
# The UTS #39 confusables whose source and prototype are both ASCII letters or digits (the
# only characters a valid name holds), applied after case folding; ``rn`` is the prototype
# of ``m`` there, and ``I``/``1`` that of ``l``.
_ASCII_FOLD = (("rn", "m"), ("1", "l"), ("0", "o"))
# One edit from a short verified name is mostly a distinct name (``ai``/``ml``): these are
# guarded by the confusable rule only.
NEAR_MIN_LENGTH = 4


class Reason(StrEnum):
    """Why a name is held back."""

    RESERVED = "reserved"
    CONFUSABLE = "confusable"
    NEAR = "near"


@dataclass(frozen=True, slots=True)
class Resemblance:
    """``name`` could pass for the scope ``resembles`` (an existing or reserved name)."""

    name: str
    resembles: str
    reason: Reason

    def describe(self) -> str:
        """One sentence naming the resembled scope."""
        if self.reason is Reason.RESERVED:
            if self.name == self.resembles:
                return f"the name @{self.name} is reserved"
            return f"the name @{self.name} resembles the reserved name @{self.resembles}"
        if self.reason is Reason.CONFUSABLE:
            return f"the name @{self.name} is confusable with the existing scope @{self.resembles}"
        return (
            f"the name @{self.name} is one character away from the verified scope @{self.resembles}"
        )


@lru_cache(maxsize=4096)
def _prototype(char: str) -> str:
    """The ASCII letters/digits ``char`` is confusable with (per UTS #39), else ``char``."""
    # Imported here: the table is ~1 MB of JSON, needed only when a name is checked.
    from confusable_homoglyphs.confusables import confusables_data

    for entry in confusables_data.get(char, ()):
        candidate = unicodedata.normalize("NFKC", entry["c"]).casefold()
        if candidate.isascii() and candidate.isalnum():
            return str(candidate)
    return char


def skeleton(name: str) -> str:
    """The form two names share when they look alike (see the module docstring)."""
    text = unicodedata.normalize("NFKC", name).casefold().translate(_SEPARATORS)
    text = "".join(ch if ch.isascii() else _prototype(ch) for ch in text)
    text = unicodedata.normalize("NFKC", text).casefold().translate(_SEPARATORS)
    for source, prototype in _ASCII_FOLD:
        text = text.replace(source, prototype)
    return text


def within_one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one insert, delete, substitution or swap."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) != 2:
            return len(diffs) == 1
        i, j = diffs
        return j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1 :]


def resemblance(
    name: str,
    *,
    existing: Iterable[str],
    verified: Iterable[str] = (),
    reserved: Iterable[str] = RESERVED_SCOPES,
) -> Resemblance | None:
    """The scope a new ``name`` could pass for, or None when it stands apart.

    ``existing`` are the scopes already taken (an exact match is "taken", not resemblance, and
    is left to the caller); ``verified`` those of verified publishers; ``reserved`` the names
    held back for the registry admin.
    """
    mine = skeleton(name)
    for held in reserved:
        if held == name or skeleton(held) == mine:
            return Resemblance(name, held, Reason.RESERVED)
    for other in existing:
        if other != name and skeleton(other) == mine:
            return Resemblance(name, other, Reason.CONFUSABLE)
    for other in verified:
        theirs = skeleton(other)
        if other != name and len(theirs) >= NEAR_MIN_LENGTH and within_one_edit(mine, theirs):
            return Resemblance(name, other, Reason.NEAR)
    return None


def suggested_scope(
    candidates: Iterable[str | None], reserved: Iterable[str] = RESERVED_SCOPES
) -> str | None:
    """The first usable scope among ``candidates`` (e.g. the logged-in user, then the OS user).

    Never a reserved name nor one resembling it (``root`` is not a scope to suggest).
    """
    held = tuple(reserved)
    for candidate in candidates:
        if candidate and resemblance(candidate, existing=(), reserved=held) is None:
            return candidate
    return None
