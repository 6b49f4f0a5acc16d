"""The score breakdown reads in the score table's order, whatever order its JSON keys have."""

from __future__ import annotations

import json

from tank.cli.render_skill import breakdown_lines
from tank.client.audit import breakdown_items
from tank.client.score_items import SCORE_ITEMS, table_order
from tank.server.services.pipeline.scoring import ITEMS


def _breakdown(names: list[str]) -> dict[str, dict[str, object]]:
    return {name: {"points": 0, "max": 1, "note": f"note of {name}"} for name in names}


def test_the_client_order_is_the_registry_table_order() -> None:
    assert list(SCORE_ITEMS) == [name for name, _ in ITEMS]


def test_registry_order_and_cached_sorted_keys_read_the_same() -> None:
    fresh = _breakdown([name for name, _ in ITEMS])
    cached = json.loads(json.dumps(fresh, sort_keys=True))  # what the metadata cache stores
    assert list(cached) != list(fresh)  # the two orders differ: the test can fail
    for raw in (fresh, cached):
        assert [item.name for item in breakdown_items(raw)] == list(SCORE_ITEMS)
        assert [line.split()[0] for line in breakdown_lines(raw)] == list(SCORE_ITEMS)


def test_unknown_items_follow_alphabetically() -> None:
    names = ["zeta", "sbom", "alpha", "code_signing"]
    assert table_order(names) == ["code_signing", "sbom", "alpha", "zeta"]
