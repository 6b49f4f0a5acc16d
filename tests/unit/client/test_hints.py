"""Registry hints that name API routes read as CLI commands at the terminal."""

from __future__ import annotations

import pytest

from tank.client.hints import for_cli


@pytest.mark.parametrize(
    ("server", "cli"),
    [
        (
            "see GET /v1/skills/@acme/pdf for the published versions",
            "see `tank info @acme/pdf` for the published versions",
        ),
        (
            "the version document lists its files: GET /v1/skills/@acme/pdf/1.2.0",
            "the version document lists its files: `tank info @acme/pdf@1.2.0`",
        ),
        (
            "log in with `tank login` or create a token with POST /v1/tokens",
            "log in with `tank login` or set TANK_TOKEN",
        ),
        (
            "see /v1/openapi.json for the routes",
            "check that tank and the registry are compatible versions (`tank --version`)",
        ),
        ("POST /v1/tokens to log in", "`tank login` to log in"),
        ("run `tank install`", "run `tank install`"),  # no route: unchanged
        (None, None),
    ],
)
def test_routes_become_commands(server: str | None, cli: str | None) -> None:
    assert for_cli(server) == cli
