"""The registry HTTP client: one connection pool, retries, conditional metadata, errors.

httpx is imported lazily (about 100 ms): an install whose tarballs are all in the cache never
touches the network and never pays for it. HTTP/2 is asked for on https registries, where
ALPN can negotiate it; plain-http loopback registries speak HTTP/1.1 with keep-alive.

Transient failures (connection errors, timeouts, 429, 502, 503, 504) are retried with
exponential backoff and jitter, honouring ``Retry-After``; anything else is permanent and
becomes a :class:`~tank.client.errors.RegistryError` carrying the registry's own message and
hint (its API routes rewritten as CLI commands, :mod:`tank.client.hints`). Every request,
retries included, has an overall wall-clock deadline (:mod:`tank.client.deadline`):
httpx's own timeouts are per socket read.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from tank import __version__
from tank.client.answers import document_of, error_from, json_of
from tank.client.errors import (
    DeadlineExceeded,
    NetworkError,
    RegistryError,
)
from tank.client.metadata_cache import CachedDocument, MetadataCache, max_age
from tank.core.errors import IntegrityError
from tank.core.integrity import verify
from tank.core.limits import DEFAULT_LIMITS

if TYPE_CHECKING:
    import httpx

__all__ = ["CachedDocument", "MetadataCache", "RegistryClient", "max_age", "skill_path"]

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
MAX_RETRIES = 3
BACKOFF_BASE = 0.25
BACKOFF_CAP = 8.0
USER_AGENT = f"tank/{__version__}"
#: The largest JSON answer read from a registry (a skill document with thousands of
#: versions is a few MB).
MAX_RESPONSE_BYTES = 32 * 1024 * 1024


def skill_path(name: str) -> str:
    """``/v1/skills/@scope/name`` with each segment escaped (names are validated elsewhere)."""
    scope, _, short = name.partition("/")
    return f"/v1/skills/{quote(scope, safe='@')}/{quote(short, safe='')}"


class RegistryClient:
    """One registry: base URL, optional bearer token, pooled connections, retries.

    Thread-safe: the install downloads with a pool of threads sharing one client.
    """

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        metadata_cache: MetadataCache | None = None,
        timeout: float = 30.0,
        retries: int = MAX_RETRIES,
        max_connections: int = 16,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.metadata_cache = metadata_cache
        self.retries = retries
        self._timeout = timeout
        self._max_connections = max_connections
        self._transport = transport
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ plumbing

    def _http(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                import httpx

                from tank.client.deadline import bound_transport

                http2 = self.base_url.startswith("https://") and _has_h2()
                limits = httpx.Limits(
                    max_connections=self._max_connections,
                    max_keepalive_connections=self._max_connections,
                )
                transport = self._transport
                if transport is None:
                    made = httpx.HTTPTransport(http2=http2, limits=limits)
                    bound_transport(made)  # every read waits no longer than the deadline
                    transport = made
                headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
                if self.token:
                    headers["Authorization"] = f"Bearer {self.token}"
                self._client = httpx.Client(
                    base_url=self.base_url,
                    headers=headers,
                    timeout=httpx.Timeout(self._timeout, connect=10.0),
                    transport=transport,
                    follow_redirects=False,
                )
            return self._client

    def close(self) -> None:
        """Close the connection pool."""
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        ok: tuple[int, ...] = (200,),
        retry: bool = True,
        deadline: float | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """Send with retries; return a response whose status is in ``ok``, else raise.

        ``retry=False`` for writes that must not run twice (publish): a connection that fails
        before the request is sent is still retried, an error status never is. ``deadline``
        bounds the whole call in seconds (default: :func:`tank.client.deadline.request_deadline`).
        """
        import httpx

        from tank.client import deadline as dl

        client = self._http()
        attempt = 0
        with dl.deadline(deadline or dl.request_deadline(), self.base_url):
            while True:
                try:
                    response = self._send_limited(client, method, path, headers, kwargs)
                except httpx.TransportError as error:
                    if dl.expired():
                        raise self._late(f"{method} {path}") from None
                    sent = not isinstance(error, httpx.ConnectError | httpx.ConnectTimeout)
                    if attempt >= self.retries or (sent and not retry):
                        raise NetworkError(
                            f"cannot reach the registry at {self.base_url}: {_describe(error)}",
                            hint="check the URL (`tank config get registry`) and your network; "
                            "is the registry running?",
                        ) from None
                    self._sleep(attempt, None, f"{method} {path}")
                    attempt += 1
                    continue
                if response.status_code in ok:
                    return response
                if response.status_code in RETRY_STATUSES and attempt < self.retries and retry:
                    retry_after = response.headers.get("Retry-After")
                    self._sleep(attempt, retry_after, f"{method} {path}")
                    attempt += 1
                    continue
                raise self._error(method, path, response)

    def _late(self, what: str) -> DeadlineExceeded:
        from tank.client.deadline import DEADLINE_ENV, current

        return DeadlineExceeded(
            f"the registry at {self.base_url} did not finish answering {what} within "
            f"{current():g} s",
            hint="it accepts connections but answers too slowly or not at all: try again "
            f"later, check the registry URL, or allow more time with {DEADLINE_ENV}=SECONDS",
        )

    def _sleep(self, attempt: int, retry_after: str | None, what: str) -> None:
        """Back off before a retry, unless the wait would outlast the deadline."""
        from tank.client.deadline import remaining

        delay = _backoff(attempt, retry_after)
        left = remaining()
        if left is not None and left <= delay:
            raise self._late(what)
        time.sleep(delay)

    def _send_limited(
        self,
        client: httpx.Client,
        method: str,
        path: str,
        headers: Mapping[str, str] | None,
        kwargs: dict[str, Any],
    ) -> httpx.Response:
        """Send and read the body, refusing more than :data:`MAX_RESPONSE_BYTES` (a hostile
        or broken registry must not make the client read an endless answer into memory)."""
        import httpx

        request = client.build_request(method, path, headers=headers, **kwargs)
        streamed = client.send(request, stream=True)
        too_large = RegistryError(
            f"{method} {path}: the registry's answer is larger than {MAX_RESPONSE_BYTES} bytes",
            status=streamed.status_code,
            code="response_too_large",
            hint="this is not a Tank registry answer; check the registry URL",
        )
        try:
            body = _read_capped(streamed, MAX_RESPONSE_BYTES, too_large)
        finally:
            streamed.close()
        return httpx.Response(
            streamed.status_code, headers=streamed.headers, content=body, request=request
        )

    def _error(self, method: str, path: str, response: httpx.Response) -> RegistryError:
        return error_from(response, f"{method} {path}", self.base_url)

    # ------------------------------------------------------------------ reads

    def skill_document(self, name: str, *, revalidate: bool = False) -> dict[str, Any]:
        """A skill's document: from the cache while fresh (unless ``revalidate``), else asked
        for with the cached ETag (a 304 costs no body)."""
        path = skill_path(name)
        url = self.base_url + path
        cached = self.metadata_cache.get(url) if self.metadata_cache else None
        if cached is not None and cached.fresh and not revalidate:
            return document_of(cached.body, name, 200)
        headers = {"If-None-Match": cached.etag} if cached else None
        response = self.request("GET", path, headers=headers, ok=(200, 304))
        age = max_age(response.headers.get("Cache-Control"))
        if response.status_code == 304 and cached is not None:
            body = cached.body
            if self.metadata_cache is not None and age:
                self.metadata_cache.put(url, cached.etag, body, max_age=age)
        else:
            body = response.content
            etag = response.headers.get("ETag")
            if etag and self.metadata_cache is not None:
                self.metadata_cache.put(url, etag, body, max_age=age)
        return document_of(body, name, response.status_code)

    def version_document(self, name: str, version: str) -> dict[str, Any]:
        """Everything about one version (findings, files, score breakdown)."""
        response = self.request("GET", f"{skill_path(name)}/{quote(version, safe='')}")
        return json_of(response, f"{name}@{version}")

    def tarball(self, resolved: str, integrity: str, *, subject: str) -> bytes:
        """Download the tarball at the registry-relative path ``resolved`` and verify it.

        The bytes are hashed before anyone sees them: a mismatch raises
        :class:`IntegrityError` naming ``subject`` (the skill). Oversized bodies are cut off
        at the archive size limit rather than read into memory whole.
        """
        if not resolved.startswith("/"):
            raise IntegrityError(
                f"{subject}: the lockfile's resolved path {resolved!r} is not registry-relative",
                code="bad_resolved",
                hint="regenerate the lockfile with `tank install`",
            )
        limit = DEFAULT_LIMITS.max_compressed_size
        data = self._download(resolved, limit, subject)
        verify(data, integrity, subject=subject)
        return data

    def _download(self, path: str, limit: int, subject: str) -> bytes:
        from tank.client import deadline as dl

        attempt = 0
        with dl.deadline(dl.request_deadline(), self.base_url):
            while True:
                try:
                    return self._download_once(path, limit, subject)
                except DeadlineExceeded:
                    raise
                except NetworkError:
                    if attempt >= self.retries:
                        raise
                    self._sleep(attempt, None, f"{subject}'s tarball")
                    attempt += 1

    def _download_once(self, path: str, limit: int, subject: str) -> bytes:
        import httpx

        from tank.client import deadline as dl

        client = self._http()
        try:
            with client.stream("GET", path, headers={"Accept": "application/gzip"}) as response:
                if response.status_code != 200:
                    response.read()
                    if response.status_code in RETRY_STATUSES:
                        raise NetworkError(
                            f"{subject}: the registry answered HTTP {response.status_code}"
                        )
                    raise self._error("GET", path, response)
                length = response.headers.get("Content-Length", "")
                if length.isdigit():  # time for the body too, at the slowest expected rate
                    dl.extend(min(int(length), limit) / dl.MIN_RATE)
                too_large = IntegrityError(
                    f"{subject}: the tarball is larger than {limit} bytes",
                    code="tarball_too_large",
                    hint="skills are small; this download is not what was published",
                )
                return _read_capped(response, limit, too_large)
        except httpx.TransportError as error:
            if dl.expired():
                raise self._late(f"{subject}'s tarball") from None
            raise NetworkError(
                f"{subject}: download from {self.base_url} failed: {_describe(error)}",
                hint="check your network and try again",
            ) from None

    def search(self, query: str, *, page: int = 1, per_page: int = 20) -> dict[str, Any]:
        """``GET /v1/search``."""
        params: dict[str, str | int] = {"q": query, "page": page, "per_page": per_page}
        response = self.request("GET", "/v1/search", params=params)
        return json_of(response, "the search")

    def whoami(self) -> dict[str, Any]:
        """``GET /v1/whoami`` with the client's token."""
        return json_of(self.request("GET", "/v1/whoami"), "whoami")

    # ------------------------------------------------------------------ writes

    def create_token(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /v1/tokens`` (log in with a password, or mint a narrower token)."""
        response = self.request("POST", "/v1/tokens", json=dict(payload), ok=(201,), retry=False)
        return json_of(response, "the new token")

    def revoke_token(self, token_id: int) -> None:
        """``DELETE /v1/tokens/{id}``."""
        self.request("DELETE", f"/v1/tokens/{token_id}")

    def add_key(self, key: str, name: str) -> dict[str, Any]:
        """``POST /v1/keys``: register a public key (PEM or key JSON) on the account."""
        body = {"key": key, "name": name}
        response = self.request("POST", "/v1/keys", json=body, ok=(201,), retry=False)
        return json_of(response, "the registered key")

    def list_keys(self) -> dict[str, Any]:
        """``GET /v1/keys``: the caller's keys, revoked ones included."""
        return json_of(self.request("GET", "/v1/keys"), "your keys")

    def revoke_key(self, keyid: str) -> dict[str, Any]:
        """``DELETE /v1/keys/{keyid}``."""
        response = self.request("DELETE", f"/v1/keys/{quote(keyid, safe='')}")
        return json_of(response, "the revoked key")

    def user_keys(self, username: str) -> dict[str, Any]:
        """``GET /v1/users/{username}/keys``: anyone's keys, to verify their signatures."""
        path = f"/v1/users/{quote(username, safe='')}/keys"
        return json_of(self.request("GET", path), f"{username}'s keys")

    def publish(
        self, tarball: bytes, fields: Mapping[str, str], *, filename: str = "skill.tgz"
    ) -> dict[str, Any]:
        """``POST /v1/skills``: upload the tarball with its claimed name, version, integrity."""
        from tank.client.deadline import PUBLISH_EXTRA, request_deadline

        files = {"tarball": (filename, tarball, "application/gzip")}
        response = self.request(
            "POST",
            "/v1/skills",
            data=dict(fields),
            files=files,
            ok=(201,),
            retry=False,
            timeout=120.0,
            deadline=request_deadline(len(tarball)) + PUBLISH_EXTRA,
        )
        return json_of(response, "the published version")


def _read_capped(response: httpx.Response, limit: int, too_large: Exception) -> bytes:
    """The streamed body of ``response``; ``too_large`` is raised past ``limit`` bytes,
    before the rest is read (an endless or oversized answer never fills memory)."""
    from tank.client.deadline import check

    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
        check()
    return b"".join(chunks)


def _has_h2() -> bool:
    import importlib.util

    return importlib.util.find_spec("h2") is not None


def _describe(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return text.splitlines()[0][:200]


def _backoff(attempt: int, retry_after: str | None) -> float:
    """Seconds to wait before retry ``attempt``: exponential with jitter, or Retry-After."""
    delay: float = min(BACKOFF_CAP, BACKOFF_BASE * (2**attempt)) * (0.5 + random.random())  # noqa: S311
    if retry_after:
        with contextlib.suppress(ValueError):
            delay = min(BACKOFF_CAP * 4, max(delay, float(retry_after)))
    return delay
