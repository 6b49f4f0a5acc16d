"""How long-running client work reports progress, without knowing how it is shown.

The CLI passes a rich progress display on a terminal and plain lines otherwise; tests and
library callers pass :class:`Silent`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

#: ``notice(registry_url, deadline_seconds)``: a request to the registry has had no complete
#: answer for a second (see :mod:`tank.client.deadline`); called at most once per registry.
SlowNotice = Callable[[str, float], None]
_slow_notice: list[SlowNotice] = []


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


def set_slow_notice(notice: SlowNotice | None) -> None:
    """Show slow registry requests with ``notice`` (the CLI sets it; ``None``: silent)."""
    _slow_notice[:] = [notice] if notice is not None else []


def slow_notice_set() -> bool:
    """True when slow requests are shown (else the client does not watch for them)."""
    return bool(_slow_notice)


def slow_request(registry: str, deadline: float) -> None:
    """Tell the user a request to ``registry`` is slow (no-op when no notice is set)."""
    for notice in _slow_notice:
        notice(registry, deadline)
