"""The OIDC verifier against a real issuer on loopback: keys fetched over HTTP, cached,
refetched on rotation, bounded; and what it refuses to fetch at all."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from tank.server.errors import ApiError
from tank.server.services import oidc
from tank.server.settings import Settings, load_settings
from tests.oidc_issuer import AUDIENCE, Issuer, new_key, running_issuer


@pytest.fixture
def issuer() -> Iterator[Issuer]:
    oidc.clear_cache()
    with running_issuer() as handle:
        yield handle
    oidc.clear_cache()


def settings_for(issuer: Issuer, **extra: object) -> Settings:
    values: dict[str, object] = {
        "oidc_issuers": (issuer.url,),
        "oidc_audience": AUDIENCE,
        "oidc_allow_loopback_http": True,
        **extra,
    }
    return load_settings(None, **values)


def test_a_valid_token_verifies_and_keys_are_cached(issuer: Issuer) -> None:
    settings = settings_for(issuer)
    claims = oidc.verify_token(issuer.token(), settings)
    assert claims["repository"] == "acme/pdf-tools"
    oidc.verify_token(issuer.token(), settings)
    assert issuer.jwks_fetches == 1


def test_keys_are_refetched_after_the_ttl_and_on_rotation(
    issuer: Issuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(issuer)
    oidc.verify_token(issuer.token(), settings)
    issuer.key, issuer.kid = new_key(), "key-2"
    with pytest.raises(oidc.OidcRefused):  # just fetched: no refetch storm for unknown kids
        oidc.verify_token(issuer.token(), settings)
    assert issuer.jwks_fetches == 1
    later = time.monotonic() + oidc.MIN_REFRESH_SECONDS + 1
    monkeypatch.setattr(oidc.time, "monotonic", lambda: later)
    assert oidc.verify_token(issuer.token(), settings)["iss"] == issuer.url
    assert issuer.jwks_fetches == 2


def test_http_issuers_need_the_explicit_setting(issuer: Issuer) -> None:
    settings = settings_for(issuer, oidc_allow_loopback_http=False)
    with pytest.raises(oidc.OidcRefused) as caught:
        oidc.verify_token(issuer.token(), settings)
    assert caught.value.code == "oidc_issuer_untrusted"
    assert issuer.jwks_fetches == 0


def test_a_huge_or_empty_jwks_is_refused(issuer: Issuer) -> None:
    settings = settings_for(issuer)
    issuer.jwks_override = json.dumps({"keys": [], "pad": "x" * oidc.MAX_JWKS_BYTES}).encode()
    with pytest.raises(ApiError) as caught:
        oidc.verify_token(issuer.token(), settings)
    assert caught.value.status == 503 and caught.value.code == "oidc_issuer_unavailable"
    issuer.jwks_override = b'{"keys": []}'
    with pytest.raises(ApiError):
        oidc.verify_token(issuer.token(), settings)


def test_hmac_tokens_and_unknown_issuers_are_refused_before_any_fetch(issuer: Issuer) -> None:
    import jwt

    settings = settings_for(issuer)
    forged = jwt.encode(issuer.claims(), "secret-" * 8, algorithm="HS256")
    with pytest.raises(oidc.OidcRefused):
        oidc.verify_token(forged, settings)
    with pytest.raises(oidc.OidcRefused):
        oidc.verify_token(issuer.token(iss="https://evil.example"), settings)
    with pytest.raises(oidc.OidcRefused):
        oidc.verify_token("x" * (oidc.MAX_TOKEN_BYTES + 1), settings)
    assert issuer.jwks_fetches == 0


def test_a_missing_required_claim_is_refused(issuer: Issuer) -> None:
    settings = settings_for(issuer)
    for claim in ("exp", "iat", "sub"):
        with pytest.raises(oidc.OidcRefused):
            oidc.verify_token(issuer.token(**{claim: None}), settings)
