"""The score table's item order, for showing a registry's ``score_breakdown``.

A breakdown is a JSON object: its key order is whatever the last writer kept (the registry
sends the table's order; the metadata cache stores documents with sorted keys). Every view
sorts the items by this list so a breakdown reads the same fresh or cached. The client keeps
its own copy instead of importing the registry's scoring module (the client must not depend
on the server); a test keeps the two equal. Items this list does not know (a newer registry)
follow, alphabetically.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

__all__ = ["SCORE_ITEMS", "table_order"]

#: docs/audit-score.md's table, top to bottom.
SCORE_ITEMS: Final = (
    "code_signing",
    "static_analysis",
    "no_install_scripts",
    "reproducible_build",
    "sbom",
    "test_coverage",
    "community_reviews",
    "verified_publisher",
    "no_known_vulnerabilities",
)
_RANK: Final = {name: rank for rank, name in enumerate(SCORE_ITEMS)}


def table_order(names: Iterable[str]) -> list[str]:
    """``names`` in the score table's order, unknown ones last and alphabetically."""
    return sorted(names, key=lambda name: (_RANK.get(name, len(SCORE_ITEMS)), name))
