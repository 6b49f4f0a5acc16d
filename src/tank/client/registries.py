"""The registries one command talks to: a client per base URL, made on first use.

A project may pull skills from several registries (per-scope ``registries``); each gets one
pooled :class:`~tank.client.http.RegistryClient` with its own token and the shared
on-disk metadata cache.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from tank.client.config import RegistryMap
from tank.client.credentials import token_for
from tank.client.http import MetadataCache, RegistryClient
from tank.client.paths import cache_dir

if TYPE_CHECKING:
    from tank.client.signed_metadata import DocumentVerifier


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
                found.verifier = _verifier(url, found)
                self._clients[url] = found
            return found

    def unsigned(self) -> tuple[str, ...]:
        """Registries that served unsigned skill documents this command (accepted only
        because they were never seen signing: the install warns)."""
        with self._lock:
            return tuple(
                url for url, c in self._clients.items() if c.verifier and c.verifier.unsigned
            )

    def for_name(self, name: str) -> RegistryClient:
        """The client of the registry serving skill ``name``."""
        return self.client(self.routes.for_name(name))

    def close(self) -> None:
        """Remember the document serials seen, and close every connection pool."""
        with self._lock:
            for client in self._clients.values():
                if client.verifier is not None:
                    client.verifier.save()
                client.close()
            self._clients.clear()

    def __enter__(self) -> Registries:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _verifier(url: str, client: RegistryClient) -> DocumentVerifier:
    """The document checks of the registry at ``url`` (the URL the pins are filed under)."""
    from tank.client.signed_metadata import DocumentVerifier

    def keys() -> object:
        from tank.client.answers import json_of

        return json_of(client.request("GET", "/v1/registry/keys"), "the registry's keys")

    return DocumentVerifier(url, keys)
