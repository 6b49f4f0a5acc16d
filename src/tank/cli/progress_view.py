"""Progress for long client work: rich bars on a terminal, plain lines otherwise.

Both implement :class:`tank.client.progress.Progress`. Plain mode prints one line when a
phase starts and one when it ends (logs stay readable in CI); ``--json`` callers get
:class:`tank.client.progress.Silent`.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from tank.client.progress import Progress, Silent

LABELS = {"resolve": "Resolving", "download": "Downloading", "link": "Linking"}


class Lines:
    """One line per phase start and end, on standard error."""

    def __init__(self) -> None:
        self._started: dict[str, tuple[float, int]] = {}

    def start(self, phase: str, total: int) -> None:
        """Announce the phase."""
        self._started[phase] = (time.perf_counter(), total)

    def advance(self, phase: str, step: int = 1) -> None:
        """Nothing per step: logs would drown."""

    def finish(self, phase: str) -> None:
        """Say how many steps took how long."""
        began, total = self._started.pop(phase, (time.perf_counter(), 0))
        if not total:
            return
        ms = (time.perf_counter() - began) * 1000
        sys.stderr.write(f"{LABELS.get(phase, phase)}: {total} done in {ms:.0f} ms\n")


class Bars:
    """rich progress bars on standard error, one per phase, removed when done."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._tasks: dict[str, Any] = {}
        self._progress.start()

    def start(self, phase: str, total: int) -> None:
        """Show a bar for the phase."""
        self._tasks[phase] = self._progress.add_task(LABELS.get(phase, phase), total=total)

    def advance(self, phase: str, step: int = 1) -> None:
        """Move the bar."""
        task = self._tasks.get(phase)
        if task is not None:
            self._progress.advance(task, step)

    def finish(self, phase: str) -> None:
        """Remove the bar."""
        task = self._tasks.pop(phase, None)
        if task is not None:
            self._progress.remove_task(task)

    def close(self) -> None:
        """Stop drawing."""
        self._progress.stop()


def slow_line(registry: str, deadline: float) -> None:
    """Say, on standard error, that the registry is slow and when Tank will give up.

    A plain line on a terminal too: while rich bars are drawn, rich prints it above them,
    and a line survives in logs where a transient status would vanish.
    """
    sys.stderr.write(
        f"Waiting for the registry at {registry}… (no complete answer after 1 s; "
        f"giving up after {deadline:g} s)\n"
    )
    sys.stderr.flush()


def make_progress(*, as_json: bool) -> Progress:
    """Bars on a terminal, lines in a pipe, nothing for ``--json``."""
    if as_json:
        return Silent()
    if sys.stderr.isatty():
        return Bars()
    return Lines()


def close_progress(progress: Progress) -> None:
    """Stop a progress display (no-op for the ones that draw nothing)."""
    if isinstance(progress, Bars):
        progress.close()
