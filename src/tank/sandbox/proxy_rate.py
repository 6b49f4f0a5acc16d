"""``max_requests_per_minute`` as a sliding window of 60 seconds.

A request is admitted when fewer than ``limit`` requests were admitted in the 60 seconds before
it; refused requests do not take a place in the window (a skill that keeps retrying is not
locked out for longer than its own admitted requests allow). The clock is injectable so the
window's edges are tested without sleeping.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Final

WINDOW_SECONDS: Final = 60.0


class RateWindow:
    """Admit at most ``limit`` events in any ``window`` seconds (None: no limit)."""

    def __init__(
        self,
        limit: int | None,
        *,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._admitted: deque[float] = deque()

    def admit(self) -> bool:
        """Record one event and return True, or return False when the window is full."""
        if self.limit is None:
            return True
        now = self._clock()
        while self._admitted and now - self._admitted[0] >= self.window:
            self._admitted.popleft()
        if len(self._admitted) >= self.limit:
            return False
        self._admitted.append(now)
        return True
