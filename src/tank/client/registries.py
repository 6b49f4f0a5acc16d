"""The registries one command talks to: a client per base URL, made on first use.

A project may pull skills from several registries (per-scope ``registries``); each gets one
pooled :class:`~tank.client.http.RegistryClient` with its own token and the shared
on-disk metadata cache.
"""

from __future__ import annotations

import threading

from tank.client.config import RegistryMap
from tank.client.credentials import token_for
from tank.client.http import MetadataCache, RegistryClient
from tank.client.paths import cache_dir


class Registries:
    """Lazily created clients for the registries of a :class:`RegistryMap`."""

    def __init__(self, routes: RegistryMap, *, metadata_cache: MetadataCache | None = None) -> None:
        self.routes = routes
        self._cache = metadata_cache or MetadataCache(cache_dir() / "metadata")
        self._clients: dict[str, RegistryClient] = {}
        self._lock = threading.Lock()

    def client(self, url: str) -> RegistryClient:
        """The client of the registry at ``url``."""
        with self._lock:
            found = self._clients.get(url)
            if found is None:
                token = token_for(url, env_allowed=url in self.routes.trusted)
                found = RegistryClient(url, token=token, metadata_cache=self._cache)
                self._clients[url] = found
            return found

    def for_name(self, name: str) -> RegistryClient:
        """The client of the registry serving skill ``name``."""
        return self.client(self.routes.for_name(name))

    def close(self) -> None:
        """Close every connection pool."""
        with self._lock:
            for client in self._clients.values():
                client.close()
            self._clients.clear()

    def __enter__(self) -> Registries:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
