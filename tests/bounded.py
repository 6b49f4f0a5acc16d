"""Running code that could grow without bound under a memory limit and a time limit.

A parser that misbehaves on hostile input (quadratic memory, runaway recursion) must fail the
test, not take the machine down: the code runs in a subprocess whose address space is capped
with ``RLIMIT_AS``, or in-process inside :func:`memory_cap`, which lowers the soft limit and
restores it afterwards.
"""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
import textwrap
from collections.abc import Iterator

MiB = 1024 * 1024


def run_bounded(code: str, *, seconds: float, mib: int = 512) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh Python with ``mib`` MiB of address space, killed after
    ``seconds``; the caller asserts on the result (``returncode``, ``stdout``)."""
    prelude = (
        f"import resource\nresource.setrlimit(resource.RLIMIT_AS, ({mib * MiB}, {mib * MiB}))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=seconds,
        check=False,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


@contextlib.contextmanager
def memory_cap(headroom_mib: int = 512) -> Iterator[None]:
    """Let this process grow by at most ``headroom_mib`` MiB of address space while inside."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + headroom_mib * MiB
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
