"""How long-running client work reports progress, without knowing how it is shown.

The CLI passes a rich progress display on a terminal and plain lines otherwise; tests and
library callers pass :class:`Silent`.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Phases with a known number of steps, advanced as work completes."""

    def start(self, phase: str, total: int) -> None:
        """A phase begins (``resolve``, ``download``, ``link``) with ``total`` steps."""

    def advance(self, phase: str, step: int = 1) -> None:
        """``step`` more steps of ``phase`` are done."""

    def finish(self, phase: str) -> None:
        """``phase`` is over."""


class Silent:
    """A :class:`Progress` that shows nothing."""

    def start(self, phase: str, total: int) -> None:
        """Ignore."""

    def advance(self, phase: str, step: int = 1) -> None:
        """Ignore."""

    def finish(self, phase: str) -> None:
        """Ignore."""
