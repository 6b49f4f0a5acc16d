"""An in-process LRU cache of small blobs, bounded in bytes.

Blobs are content-addressed and never change under their key, so a cached copy can never be
stale: serving popular tarballs from memory skips the storage round trip (a file open and read
locally, an HTTP call for S3) on the hottest route. Only blobs up to ``max_item`` bytes are
kept, and the total stays under ``max_bytes``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable


class BlobCache:
    """A thread-safe LRU of ``key -> bytes`` with a byte budget."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024, max_item: int = 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self.max_item = max_item
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str, load: Callable[[str], bytes]) -> bytes:
        """The bytes of ``key`` from the cache, else from ``load(key)`` (then cached if small)."""
        with self._lock:
            data = self._items.get(key)
            if data is not None:
                self._items.move_to_end(key)
                return data
        data = load(key)  # outside the lock: a slow store must not serialise every reader
        if len(data) <= self.max_item:
            with self._lock:
                if key not in self._items:
                    self._items[key] = data
                    self._size += len(data)
                    while self._size > self.max_bytes:
                        _, dropped = self._items.popitem(last=False)
                        self._size -= len(dropped)
        return data

    def discard(self, key: str) -> None:
        """Forget ``key`` (after the blob was deleted by garbage collection)."""
        with self._lock:
            data = self._items.pop(key, None)
            if data is not None:
                self._size -= len(data)

    @property
    def size(self) -> int:
        """Bytes held."""
        return self._size
