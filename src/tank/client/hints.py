"""A registry's error hints, as a CLI user can follow them.

The registry's hints are written for every caller of its API, so some name routes
(``see GET /v1/skills/@acme/pdf for the published versions``). Someone at a terminal acts
with commands: the client rewrites the routes it knows to the command that shows the same
thing (``tank info @acme/pdf``) before the CLI renders the error. A hint naming a route
without a command equivalent is left as the registry wrote it.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["for_cli"]

_NAME: Final = r"(@[^/\s`]+/[^/\s`]+)"
#: (route pattern, the command that shows the same thing), most specific first.
_ROUTES: Final = (
    (re.compile(rf"`?GET /v1/skills/{_NAME}/([^/\s`]+)`?"), r"`tank info \1@\2`"),
    (re.compile(rf"`?GET /v1/skills/{_NAME}`?"), r"`tank info \1`"),
    (re.compile(r"create a token with `?POST /v1/tokens`?"), "set TANK_TOKEN"),
    (re.compile(r"`?POST /v1/tokens`?"), "`tank login`"),
    (re.compile(r"see `?/v1/openapi\.json`? for [^;,]*"), "check that tank and the registry are "
     "compatible versions (`tank --version`)"),
)  # fmt: skip


def for_cli(hint: str | None) -> str | None:
    """``hint`` with every API route it names replaced by the matching CLI command."""
    if not hint or "/v1/" not in hint:
        return hint
    for pattern, command in _ROUTES:
        hint = pattern.sub(command, hint)
    return hint
