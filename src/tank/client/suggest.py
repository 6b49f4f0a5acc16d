""" "Did you mean …": close skill names for a name the registry or the project does not know.

Two sources: names the caller already has (skills.json, the installed skills) and the
registry's search (``GET /v1/search``), asked once and only after something went wrong.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from tank.client.errors import NotFoundError, UnknownSkillError, UnscopedNameError
from tank.core.errors import TankError, UsageError

#: A bare skill name as someone might type it without ``@scope/`` (``pdf-tools``).
_BARE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,213}$")
#: How many names a hint offers at most.
LIMIT = 3


def close_names(wanted: str, candidates: Iterable[str]) -> list[str]:
    """Up to :data:`LIMIT` of ``candidates`` that look like ``wanted``, closest first."""
    pool = list(dict.fromkeys(candidates))
    close = difflib.get_close_matches(wanted, pool, n=LIMIT, cutoff=0.6)
    if not close and "/" in wanted:  # compare the names without their scopes too
        short = {c.partition("/")[2] or c: c for c in pool}
        bare = wanted.partition("/")[2]
        close = [short[s] for s in difflib.get_close_matches(bare, list(short), n=LIMIT)]
    return close


def did_you_mean(names: Iterable[str]) -> str:
    """``did you mean @a/x or @b/x?`` or the empty string when there is nothing to offer."""
    found = list(names)
    if not found:
        return ""
    return f"did you mean {' or '.join(found)}?"


def bad_name(text: str, name: str, hint: str) -> UsageError:
    """The error for ``text`` (typed on the command line) whose ``name`` is not ``@scope/name``.

    A bare name (``pdf-tools``) gets an :class:`UnscopedNameError`, for which the CLI looks
    up the scoped skills of that name.
    """
    if _BARE.match(name):
        return UnscopedNameError(text, name, hint=hint)
    return UsageError(f"{text!r} is not a skill name", code="bad_spec", hint=hint)


def unknown_in_project(
    names: list[str], listed: Iterable[str], where: str, hint: str
) -> UnknownSkillError:
    """``names`` are not in ``where`` (skills.json, the install): suggest close listed names."""
    verb = "is" if len(names) == 1 else "are"
    close = did_you_mean(close_names(names[0], listed))
    return UnknownSkillError(
        f"{', '.join(names)} {verb} not {where}",
        hint=f"{close} {hint}" if close else hint,
    )


def suggest(error: TankError) -> TankError:
    """``error`` with registry names close to the one it is about, prepended to its hint.

    Best effort: a registry that cannot answer leaves ``error`` as it was (the suggestion
    must never hide the real error).
    """
    if isinstance(error, UnscopedNameError):
        registry, wanted, bare = None, error.bare, error.bare
    elif isinstance(error, NotFoundError) and error.skill:
        registry, wanted, bare = error.registry, error.skill, error.skill.partition("/")[2]
    else:
        return error
    try:
        found = _search(registry, bare)
    except TankError:
        return error
    if isinstance(error, UnscopedNameError):
        names = [n for n in found if n.partition("/")[2] == bare][:LIMIT]
        names = names or close_names(bare, found)
    else:
        names = [n for n in close_names(wanted, found) if n != wanted]
    text = did_you_mean(names)
    if text:
        error.hint = f"{text} {error.hint}" if error.hint else text
    return error


def _search(registry: str | None, query: str) -> list[str]:
    """Skill names the registry's search returns for ``query`` (as the caller may see them)."""
    from tank.client.account import registry_url
    from tank.client.credentials import token_for
    from tank.client.http import RegistryClient

    url = registry or registry_url(None)
    with RegistryClient(url, token=token_for(url), retries=0, timeout=5.0) as client:
        found = client.search(query, per_page=50)
    results = found.get("results") if isinstance(found, dict) else None
    return [
        str(r["name"])
        for r in results or ()
        if isinstance(r, dict) and isinstance(r.get("name"), str)
    ]
