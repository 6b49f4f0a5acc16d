"""The one way the registry writes a moment: RFC 3339, UTC, with ``Z`` (``2025-01-31T09:30:00Z``).

Every timestamp in every answer (skill documents, versions, tokens, accounts, orgs, audit
history) goes through :func:`rfc3339`, so clients parse one format. Fractional seconds
appear when the stored moment has them (RFC 3339 allows them; so does every parser).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload

from tank.server.db.models import as_utc

#: What the OpenAPI document says about every timestamp field.
TIMESTAMP_DESCRIPTION = "RFC 3339 date-time in UTC, always with the 'Z' suffix"


@overload
def rfc3339(moment: datetime) -> str: ...
@overload
def rfc3339(moment: None) -> None: ...
def rfc3339(moment: datetime | None) -> str | None:
    """``moment`` as RFC 3339 UTC with ``Z`` (None stays None); naive means UTC (SQLite)."""
    if moment is None:
        return None
    return as_utc(moment).astimezone(UTC).isoformat().replace("+00:00", "Z")
