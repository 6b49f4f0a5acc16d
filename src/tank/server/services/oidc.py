"""Verify a CI job's OIDC token: the issuer's keys (JWKS) and the token's standard claims.

The issuer must be one the registry is configured to trust (``oidc_issuers``); nothing is
fetched for any other, so a token cannot make the registry call a URL of its choosing. The
keys are found as OpenID Connect discovery says: ``{issuer}/.well-known/openid-configuration``
names ``jwks_uri``; both documents are fetched with short timeouts, no redirects and a size
cap, must be https (plain http only on loopback with ``oidc_allow_loopback_http``), and the
discovery document must name the same issuer. The key set is cached for
``oidc_jwks_ttl_seconds``; a token signed by a key not in the cached set refetches it (the
issuer rotated), at most once per :data:`MIN_REFRESH_SECONDS`.

The signature and the claims are checked by PyJWT: asymmetric algorithms only (never
``none`` or HMAC, whose "key" would be the public JWKS), ``iss`` equal to the issuer, ``aud``
the registry's audience, ``exp``, ``iat`` and ``nbf`` with :data:`LEEWAY_SECONDS` of clock
skew. Which CI identity the claims describe is :mod:`tank.core.trusted_publishing`'s job.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import jwt

from tank.core import boundedjson
from tank.core.trusted_publishing import ClaimsRefused, parse_issuer
from tank.server.errors import ApiError, Unauthorized
from tank.server.settings import Settings

__all__ = ["MAX_TOKEN_BYTES", "OidcRefused", "clear_cache", "verify_token"]

MAX_TOKEN_BYTES = 8 * 1024
MAX_DOCUMENT_BYTES = 64 * 1024
MAX_JWKS_BYTES = 256 * 1024
MAX_KEYS = 64
FETCH_TIMEOUT = httpx.Timeout(5.0)
LEEWAY_SECONDS = 60
MIN_REFRESH_SECONDS = 30.0
#: Asymmetric algorithms only: with HS256 the "secret" would be the issuer's public key.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
_REQUIRED = ["exp", "iat", "iss", "aud", "sub"]


class OidcRefused(Unauthorized):
    """An OIDC token the registry does not accept (401, with the reason)."""

    default_code = "oidc_token_invalid"


@dataclass
class _Keys:
    keys: dict[str, jwt.PyJWK]  # by kid ("" for a key without one)
    fetched: float


_CACHE: dict[str, _Keys] = {}
_LOCK = threading.Lock()


def clear_cache() -> None:
    """Forget every cached key set (tests; an operator never needs it: the TTL does it)."""
    with _LOCK:
        _CACHE.clear()


def _unavailable(issuer: str, what: str) -> ApiError:
    return ApiError(
        f"cannot fetch the keys of the OIDC issuer {issuer}: {what}",
        status=503,
        code="oidc_issuer_unavailable",
        hint="retry later; the registry could not check the token",
    )


def _get_json(client: httpx.Client, url: str, issuer: str, limit: int) -> Mapping[str, Any]:
    try:
        with client.stream("GET", url, headers={"Accept": "application/json"}) as response:
            if response.status_code != 200:
                raise _unavailable(issuer, f"{url} answered {response.status_code}")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > limit:
                    raise _unavailable(issuer, f"{url} is larger than {limit} bytes")
    except httpx.HTTPError as error:
        raise _unavailable(issuer, f"{url}: {type(error).__name__}") from None
    try:
        data = boundedjson.loads(bytes(body), max_bytes=limit, max_depth=8)
    except ValueError:
        raise _unavailable(issuer, f"{url} is not JSON") from None
    if not isinstance(data, Mapping):
        raise _unavailable(issuer, f"{url} is not a JSON object")
    return data


def _fetch_keys(issuer: str, settings: Settings) -> _Keys:
    loopback = settings.oidc_allow_loopback_http
    with httpx.Client(timeout=FETCH_TIMEOUT, follow_redirects=False, trust_env=False) as client:
        config = _get_json(
            client, f"{issuer}/.well-known/openid-configuration", issuer, MAX_DOCUMENT_BYTES
        )
        if config.get("issuer") != issuer:
            raise _unavailable(issuer, "its discovery document names another issuer")
        jwks_uri = config.get("jwks_uri")
        try:
            jwks_uri = parse_issuer(str(jwks_uri), allow_loopback_http=loopback)
        except ClaimsRefused:
            raise _unavailable(issuer, "its jwks_uri is not an https URL") from None
        document = _get_json(client, jwks_uri, issuer, MAX_JWKS_BYTES)
    raw = document.get("keys")
    if not isinstance(raw, list) or not raw or len(raw) > MAX_KEYS:
        raise _unavailable(issuer, f"its JWKS holds no keys or more than {MAX_KEYS}")
    keys: dict[str, jwt.PyJWK] = {}
    for entry in raw:
        if not isinstance(entry, dict) or entry.get("use", "sig") != "sig":
            continue
        try:
            key = jwt.PyJWK(entry)
        except (jwt.PyJWKError, jwt.InvalidKeyError, TypeError, ValueError):
            continue  # a key type we do not use (or a broken one): skip it, never fail open
        if key.algorithm_name in ALGORITHMS:
            keys[str(entry.get("kid") or "")] = key
    if not keys:
        raise _unavailable(issuer, "its JWKS holds no usable signing key")
    return _Keys(keys, time.monotonic())


def _key_for(issuer: str, kid: str, settings: Settings) -> jwt.PyJWK:
    with _LOCK:
        cached = _CACHE.get(issuer)
    now = time.monotonic()
    fresh = cached is not None and now - cached.fetched < settings.oidc_jwks_ttl_seconds
    if cached is not None and fresh and kid in cached.keys:
        return cached.keys[kid]
    if cached is None or not fresh or now - cached.fetched >= MIN_REFRESH_SECONDS:
        cached = _fetch_keys(issuer, settings)
        with _LOCK:
            _CACHE[issuer] = cached
    if kid in cached.keys:
        return cached.keys[kid]
    if not kid and len(cached.keys) == 1:
        return next(iter(cached.keys.values()))
    raise OidcRefused(
        f"the OIDC token is signed by a key {kid[:64]!r} that {issuer} does not publish",
        hint="use a token freshly issued by the CI platform",
    )


def trusted_issuers(settings: Settings) -> frozenset[str]:
    """The configured issuers, each a valid issuer URL (a bad setting trusts nothing)."""
    out = set()
    for text in settings.oidc_issuers:
        try:
            out.add(parse_issuer(text, allow_loopback_http=settings.oidc_allow_loopback_http))
        except ClaimsRefused:
            continue
    return frozenset(out)


def verify_token(token: str, settings: Settings) -> dict[str, Any]:
    """The claims of ``token`` after verifying its issuer, signature, audience and times.

    Raises :class:`OidcRefused` (401) for a token that is not accepted, and an ``ApiError``
    503 when the issuer's keys cannot be fetched.
    """
    if not token or len(token) > MAX_TOKEN_BYTES:
        raise OidcRefused(f"the OIDC token is empty or longer than {MAX_TOKEN_BYTES} bytes")
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise OidcRefused("the OIDC token is not a JWT") from None
    issuer = unverified.get("iss")
    if not isinstance(issuer, str) or issuer not in trusted_issuers(settings):
        raise OidcRefused(
            f"the OIDC token's issuer {str(issuer)[:200]!r} is not trusted by this registry",
            code="oidc_issuer_untrusted",
            hint="the registry trusts: " + ", ".join(sorted(trusted_issuers(settings)))
            if trusted_issuers(settings)
            else "trusted publishing is disabled on this registry (oidc_issuers is empty)",
        )
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        raise OidcRefused(f"the OIDC token's algorithm {str(algorithm)[:20]!r} is not accepted")
    key = _key_for(issuer, str(header.get("kid") or ""), settings)
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key=key.key,
            algorithms=[algorithm],
            audience=settings.audience,
            issuer=issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": _REQUIRED},
        )
    except jwt.ExpiredSignatureError:
        raise OidcRefused("the OIDC token has expired", code="oidc_token_expired") from None
    except jwt.InvalidAudienceError:
        raise OidcRefused(
            f"the OIDC token is not for this registry (audience must be {settings.audience!r})",
            code="oidc_audience_mismatch",
            hint=f"request the token with audience {settings.audience!r}",
        ) from None
    except jwt.InvalidSignatureError:
        raise OidcRefused("the OIDC token's signature does not verify") from None
    except jwt.PyJWTError as error:
        raise OidcRefused(f"the OIDC token is not valid: {error}") from None
    return claims
