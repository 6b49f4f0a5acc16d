"""How the CLI runs the resolver: the core algorithm, with the cyclic garbage collector paused.

Resolution allocates many short-lived, acyclic objects (terms, assignments, cache keys);
reference counting frees them as they die, while CPython's cyclic collector keeps re-scanning
every long-lived object the process holds (parsed registry documents included): 15-25 % of a
large resolution. The core stays free of process-wide state, so the pause lives here, in the
client layer that owns the process, and is always undone.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from tank.core.resolver import Provider, Resolution, resolve
from tank.core.semver import Range, Version


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector for the block (restoring its previous state after)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def resolve_for_install(
    root: Mapping[str, Range],
    provider: Provider,
    *,
    preferred: Mapping[str, Version] | None = None,
) -> Resolution:
    """:func:`tank.core.resolver.resolve` as the CLI runs it (collector paused)."""
    with gc_paused():
        return resolve(root, provider, preferred=preferred or {})
