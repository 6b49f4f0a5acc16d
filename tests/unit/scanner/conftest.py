"""Fixtures shared with the CLI tests: the in-process ``tank`` runner."""

from __future__ import annotations

from tests.unit.cli.conftest import tank  # noqa: F401 - a fixture, found by pytest by name
