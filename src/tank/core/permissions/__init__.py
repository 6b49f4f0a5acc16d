"""The permission model: what a skill may do, budgets, and permission changes between versions.

The JSON form (the ``permissions`` key of skills.json)::

    "permissions": {
      "network":    { "outbound": ["api.acme.dev", "*.acme.dev"], "inbound": false,
                      "max_requests_per_minute": 60 },
      "filesystem": { "read": ["./docs/**"], "write": ["./output/**"] },
      "subprocess": false,
      "secrets":    ["ACME_API_KEY"]
    }

Semantics (everything fails closed):

* An omitted permission is not granted; ``{}`` grants nothing. ``"network": false`` and
  ``"filesystem": false`` are accepted as "none"; ``true`` is refused (list what is needed).
* ``network.outbound``: host patterns (see :mod:`.domains`): ``api.acme.dev`` exactly,
  ``*.acme.dev`` any sub-domain but not ``acme.dev``, ``*`` any host, IP literals exactly.
  No scheme, path or port.
* ``network.inbound`` (default false): the skill may accept incoming connections (listen on
  a port). Dangerous, like any outbound access.
* ``network.max_requests_per_minute``: a per-skill rate limit; absent means unlimited.
* ``filesystem.read`` / ``.write``: path globs under ``./`` (project root) or ``~/`` (home)
  with ``**``, ``*``, ``?`` (see :mod:`.paths`). Absolute paths and ``..`` are refused.
* ``subprocess``: may run other programs. Dangerous.
* ``secrets``: names of environment variables handed to the skill.

Dangerous permissions are network (outbound or inbound) and subprocess. For a project the
permissions are the budget every installed skill must fit in (:func:`check_budget`).
"""

from __future__ import annotations

from tank.core.permissions.budget import BudgetViolation, check_budget, fits
from tank.core.permissions.change import (
    PERMISSION_KEYS,
    DiffEntry,
    PermissionChange,
    PermissionDiff,
    classify_change,
    diff,
)
from tank.core.permissions.domains import (
    ANY_HOST,
    canonical_domain,
    canonical_host,
    domain_covered,
    domain_matches,
)
from tank.core.permissions.model import (
    FilesystemPermission,
    NetworkPermission,
    Permissions,
    union,
)
from tank.core.permissions.names import InvalidEntry, canonical_secret
from tank.core.permissions.parse import parse_permissions
from tank.core.permissions.paths import canonical_path_glob, path_covered, path_matches

__all__ = [
    "ANY_HOST",
    "PERMISSION_KEYS",
    "BudgetViolation",
    "DiffEntry",
    "FilesystemPermission",
    "InvalidEntry",
    "NetworkPermission",
    "PermissionChange",
    "PermissionDiff",
    "Permissions",
    "canonical_domain",
    "canonical_host",
    "canonical_path_glob",
    "canonical_secret",
    "check_budget",
    "classify_change",
    "diff",
    "domain_covered",
    "domain_matches",
    "fits",
    "parse_permissions",
    "path_covered",
    "path_matches",
    "union",
]
