"""A real OIDC issuer on loopback, for trusted-publishing tests.

It serves ``/.well-known/openid-configuration`` and a JWKS over HTTP from a thread of the
test process, and mints RS256 tokens with PyJWT carrying GitHub Actions' claims, so the
registry under test fetches real keys and verifies real signatures with its production code.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

AUDIENCE = "tank-test"
SHA = "0123456789abcdef0123456789abcdef01234567"


def new_key() -> rsa.RSAPrivateKey:
    """A fresh RSA signing key."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Issuer:
    """A running issuer: its URL, its signing key, and how often its keys were fetched."""

    def __init__(self, server: ThreadingHTTPServer, key: rsa.RSAPrivateKey, kid: str) -> None:
        self.server = server
        self.key = key
        self.kid = kid
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        self.jwks_fetches = 0
        self.jwks_override: bytes | None = None

    def jwks(self) -> bytes:
        if self.jwks_override is not None:
            return self.jwks_override
        public = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        public.update(kid=self.kid, use="sig", alg="RS256")
        return json.dumps({"keys": [public]}).encode()

    def claims(self, **overrides: Any) -> dict[str, Any]:
        """GitHub Actions' claims for a release job of ``acme/pdf-tools``; ``None`` drops one."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.url,
            "aud": AUDIENCE,
            "sub": "repo:acme/pdf-tools:environment:release",
            "iat": now,
            "nbf": now,
            "exp": now + 300,
            "jti": uuid.uuid4().hex,
            "repository": "acme/pdf-tools",
            "repository_owner": "acme",
            "repository_id": "42",
            "repository_owner_id": "7",
            "workflow_ref": "acme/pdf-tools/.github/workflows/release.yml@refs/tags/v1.0.0",
            "job_workflow_ref": "acme/pdf-tools/.github/workflows/release.yml@refs/tags/v1.0.0",
            "ref": "refs/tags/v1.0.0",
            "sha": SHA,
            "environment": "release",
            "event_name": "push",
            "run_id": "1234",
            "run_attempt": "1",
        }
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def token(
        self, *, key: rsa.RSAPrivateKey | None = None, kid: str | None = None, **claims: Any
    ) -> str:
        """A token signed by this issuer's key (or ``key``), with ``claims`` overridden."""
        return jwt.encode(
            self.claims(**claims),
            key or self.key,
            algorithm="RS256",
            headers={"kid": kid or self.kid},
        )


@contextmanager
def running_issuer() -> Iterator[Issuer]:
    """Start an issuer on a free loopback port; stop it afterwards."""
    holder: list[Issuer] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            issuer = holder[0]
            if self.path == "/.well-known/openid-configuration":
                body = json.dumps({"issuer": issuer.url, "jwks_uri": f"{issuer.url}/jwks"}).encode()
            elif self.path == "/jwks":
                issuer.jwks_fetches += 1
                body = issuer.jwks()
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            del format, args

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder.append(Issuer(server, new_key(), "key-1"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder[0]
    finally:
        server.shutdown()
        server.server_close()
