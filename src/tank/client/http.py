"""The registry HTTP client: one connection pool, retries, conditional metadata, errors.

httpx is imported lazily (about 100 ms): an install whose tarballs are all in the cache never
touches the network and never pays for it. HTTP/2 is asked for on https registries, where
ALPN can negotiate it; plain-http loopback registries speak HTTP/1.1 with keep-alive.

Transient failures (connection errors, timeouts, 429, 502, 503, 504) are retried with
exponential backoff and jitter, honouring ``Retry-After``; anything else is permanent and
becomes a :class:`~tank.client.errors.RegistryError` carrying the registry's own message and
hint (its API routes rewritten as CLI commands, :mod:`tank.client.hints`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import random
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from tank import __version__
from tank.client.errors import (
    AuthError,
    NetworkError,
    NotFoundError,
    RegistryError,
    ScanRefusedError,
)
from tank.client.hints import for_cli
from tank.core import boundedjson
from tank.core.errors import IntegrityError, Location, Problem, Severity
from tank.core.integrity import verify
from tank.core.limits import DEFAULT_LIMITS

if TYPE_CHECKING:
    import httpx

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


@dataclass(frozen=True, slots=True)
class CachedDocument:
    """A stored document: its ETag, its bytes, and until when it may be used unasked."""

    etag: str
    body: bytes
    fresh_until: float

    @property
    def fresh(self) -> bool:
        """True while the registry's ``max-age`` has not run out."""
        return time.time() < self.fresh_until


def max_age(cache_control: str | None) -> int:
    """Seconds a response may be reused without asking (0 for no-cache, no-store, private)."""
    if not cache_control:
        return 0
    parts = [p.strip().lower() for p in cache_control.split(",")]
    if any(p in ("no-cache", "no-store", "private") for p in parts):
        return 0
    for part in parts:
        if part.startswith("max-age="):
            with contextlib.suppress(ValueError):
                return max(0, min(int(part[8:]), 86_400))
    return 0


class MetadataCache:
    """Skill documents on disk with their ETags and freshness (RFC 9111, simplified).

    A document is reused without a request while the registry's ``max-age`` lasts (npm's
    registry and ours say 5 minutes), then revalidated with ``If-None-Match``; ``--refresh``,
    ``tank update`` and ``tank outdated`` always revalidate. One file per URL, named by its
    SHA-256, written atomically; a broken entry is ignored and replaced.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def _file(self, url: str) -> Path:
        return self.root / f"{hashlib.sha256(url.encode()).hexdigest()}.json"

    def get(self, url: str) -> CachedDocument | None:
        """The document stored for ``url``, or ``None``."""
        try:
            raw = self._file(url).read_bytes()
            head, _, body = raw.partition(b"\n")
            meta = json.loads(head)
            etag, until = meta["etag"], float(meta.get("fresh_until", 0))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        return CachedDocument(etag, body, until) if isinstance(etag, str) else None

    def put(self, url: str, etag: str, body: bytes, *, max_age: int = 0) -> None:
        """Store ``body`` for ``url`` under ``etag``; failures only cost a future download."""
        target = self._file(url)
        head = {"etag": etag, "fresh_until": time.time() + max_age}
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_name(f".{target.name}.{threading.get_ident()}.tmp")
            temp.write_bytes(json.dumps(head).encode() + b"\n" + body)
            temp.replace(target)
        except OSError:
            return


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

                http2 = self.base_url.startswith("https://") and _has_h2()
                headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
                if self.token:
                    headers["Authorization"] = f"Bearer {self.token}"
                self._client = httpx.Client(
                    base_url=self.base_url,
                    headers=headers,
                    timeout=httpx.Timeout(self._timeout, connect=10.0),
                    limits=httpx.Limits(
                        max_connections=self._max_connections,
                        max_keepalive_connections=self._max_connections,
                    ),
                    http2=http2,
                    transport=self._transport,
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
        **kwargs: Any,
    ) -> httpx.Response:
        """Send with retries; return a response whose status is in ``ok``, else raise.

        ``retry=False`` for writes that must not run twice (publish): a connection that fails
        before the request is sent is still retried, an error status never is.
        """
        import httpx

        client = self._http()
        attempt = 0
        while True:
            try:
                response = self._send_limited(client, method, path, headers, kwargs)
            except httpx.TransportError as error:
                sent = not isinstance(error, httpx.ConnectError | httpx.ConnectTimeout)
                if attempt >= self.retries or (sent and not retry):
                    raise NetworkError(
                        f"cannot reach the registry at {self.base_url}: {_describe(error)}",
                        hint="check the URL (`tank config get registry`) and your network; "
                        "is the registry running?",
                    ) from None
                _sleep(attempt, None)
                attempt += 1
                continue
            if response.status_code in ok:
                return response
            if response.status_code in RETRY_STATUSES and attempt < self.retries and retry:
                _sleep(attempt, response.headers.get("Retry-After"))
                attempt += 1
                continue
            raise self._error(method, path, response)

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
        status = response.status_code
        message, hint, code = f"{method} {path} failed with HTTP {status}", None, None
        detail = None
        problems: list[Problem] = []
        try:
            body = boundedjson.loads(response.content, max_bytes=boundedjson.DOCUMENT_MAX_BYTES)
            err = body.get("error") if isinstance(body, dict) else None
            if isinstance(err, dict):
                message = str(err.get("message") or message)
                hint = err.get("hint")
                code = err.get("code")
                detail = err.get("detail")
                problems = _problems(err.get("problems"))
        except ValueError:
            pass
        cls: type[RegistryError] = RegistryError
        if status in (401, 403):
            cls = AuthError
            hint = hint or "log in with `tank login` or set TANK_TOKEN"
        elif status in (404, 410):
            cls = NotFoundError
        elif status == 422 and code == "scan_failed":
            cls = ScanRefusedError
        error = cls(
            f"{message} ({self.base_url})",
            status=status,
            registry=self.base_url,
            code=code if isinstance(code, str) else None,
            hint=for_cli(hint) if isinstance(hint, str) else None,
            detail=detail if isinstance(detail, str) else None,
            problems=problems,
        )
        if isinstance(error, NotFoundError) and status == 404:
            error.skill = _skill_of(path)
        return error

    # ------------------------------------------------------------------ reads

    def skill_document(self, name: str, *, revalidate: bool = False) -> dict[str, Any]:
        """A skill's document: from the cache while fresh (unless ``revalidate``), else asked
        for with the cached ETag (a 304 costs no body)."""
        path = skill_path(name)
        url = self.base_url + path
        cached = self.metadata_cache.get(url) if self.metadata_cache else None
        if cached is not None and cached.fresh and not revalidate:
            return _document(cached.body, name, 200)
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
        return _document(body, name, response.status_code)

    def version_document(self, name: str, version: str) -> dict[str, Any]:
        """Everything about one version (findings, files, score breakdown)."""
        response = self.request("GET", f"{skill_path(name)}/{quote(version, safe='')}")
        return _json(response, f"{name}@{version}")

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
        attempt = 0
        while True:
            try:
                return self._download_once(path, limit, subject)
            except NetworkError:
                if attempt >= self.retries:
                    raise
                _sleep(attempt, None)
                attempt += 1

    def _download_once(self, path: str, limit: int, subject: str) -> bytes:
        import httpx

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
                too_large = IntegrityError(
                    f"{subject}: the tarball is larger than {limit} bytes",
                    code="tarball_too_large",
                    hint="skills are small; this download is not what was published",
                )
                return _read_capped(response, limit, too_large)
        except httpx.TransportError as error:
            raise NetworkError(
                f"{subject}: download from {self.base_url} failed: {_describe(error)}",
                hint="check your network and try again",
            ) from None

    def search(self, query: str, *, page: int = 1, per_page: int = 20) -> dict[str, Any]:
        """``GET /v1/search``."""
        params: dict[str, str | int] = {"q": query, "page": page, "per_page": per_page}
        response = self.request("GET", "/v1/search", params=params)
        return _json(response, "the search")

    def whoami(self) -> dict[str, Any]:
        """``GET /v1/whoami`` with the client's token."""
        return _json(self.request("GET", "/v1/whoami"), "whoami")

    # ------------------------------------------------------------------ writes

    def create_token(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /v1/tokens`` (log in with a password, or mint a narrower token)."""
        response = self.request("POST", "/v1/tokens", json=dict(payload), ok=(201,), retry=False)
        return _json(response, "the new token")

    def revoke_token(self, token_id: int) -> None:
        """``DELETE /v1/tokens/{id}``."""
        self.request("DELETE", f"/v1/tokens/{token_id}")

    def publish(
        self, tarball: bytes, fields: Mapping[str, str], *, filename: str = "skill.tgz"
    ) -> dict[str, Any]:
        """``POST /v1/skills``: upload the tarball with its claimed name, version, integrity."""
        files = {"tarball": (filename, tarball, "application/gzip")}
        response = self.request(
            "POST",
            "/v1/skills",
            data=dict(fields),
            files=files,
            ok=(201,),
            retry=False,
            timeout=120.0,
        )
        return _json(response, "the published version")


def _skill_of(path: str) -> str | None:
    """The ``@scope/name`` a ``/v1/skills/@scope/name[/…]`` path is about, else None."""
    parts = path.split("?", 1)[0].split("/")
    if len(parts) < 5 or parts[:3] != ["", "v1", "skills"] or not parts[3].startswith("@"):
        return None
    return f"{unquote(parts[3])}/{unquote(parts[4])}"


def _problems(raw: object) -> list[Problem]:
    """The registry's validation problems (its error body's ``problems``), read leniently."""
    if not isinstance(raw, list):
        return []
    out: list[Problem] = []
    for item in raw[:200]:
        if not isinstance(item, dict) or not isinstance(item.get("message"), str):
            continue
        line = item.get("line")
        where = item.get("file")
        location = (
            Location(
                file=where if isinstance(where, str) else None,
                line=line if isinstance(line, int) else None,
            )
            if where is not None or line is not None
            else None
        )
        hint = item.get("hint")
        out.append(
            Problem(
                code=str(item.get("code") or "registry"),
                message=item["message"],
                severity=Severity.WARNING if item.get("severity") == "warning" else Severity.ERROR,
                location=location,
                hint=for_cli(hint) if isinstance(hint, str) else None,
            )
        )
    return out


def _read_capped(response: httpx.Response, limit: int, too_large: Exception) -> bytes:
    """The streamed body of ``response``; ``too_large`` is raised past ``limit`` bytes,
    before the rest is read (an endless or oversized answer never fills memory)."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


#: Registry documents hold manifests (bounded at MAX_DEPTH) a few levels down.
_DEPTH = 2 * boundedjson.MAX_DEPTH
_BAD_HINT = "try again; if it persists, report it to the registry administrator"


def _json(response: httpx.Response, name: str) -> dict[str, Any]:
    """The JSON object of a registry answer, read within bounds (a hostile registry may send
    JSON nested 100,000 deep or 5,000-digit numbers: a RegistryError, not a crash)."""
    return _document(response.content, name, response.status_code)


def _document(body: bytes, name: str, status: int) -> dict[str, Any]:
    try:
        doc = boundedjson.loads(body, max_bytes=boundedjson.DOCUMENT_MAX_BYTES, max_depth=_DEPTH)
    except ValueError:
        raise RegistryError(
            f"the registry sent a broken document for {name}",
            status=status,
            code="bad_document",
            hint=_BAD_HINT,
        ) from None
    if not isinstance(doc, dict):
        raise RegistryError(
            f"bad document for {name}", status=status, code="bad_document", hint=_BAD_HINT
        )
    return doc


def _has_h2() -> bool:
    import importlib.util

    return importlib.util.find_spec("h2") is not None


def _describe(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return text.splitlines()[0][:200]


def _sleep(attempt: int, retry_after: str | None) -> None:
    delay = min(BACKOFF_CAP, BACKOFF_BASE * (2**attempt)) * (0.5 + random.random())  # noqa: S311
    if retry_after:
        with contextlib.suppress(ValueError):
            delay = min(BACKOFF_CAP * 4, max(delay, float(retry_after)))
    time.sleep(delay)
