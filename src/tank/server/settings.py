"""Registry settings: environment variables (``TANK_REGISTRY_*``), a config file, or flags.

Precedence, highest first: explicit values (command-line flags), environment variables,
a TOML config file named by ``TANK_REGISTRY_CONFIG``, the defaults below. The defaults are the
embedded deployment: SQLite and a local folder under the current directory.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from tank.core.scopes import RESERVED_SCOPES

ENV_PREFIX = "TANK_REGISTRY_"
DEFAULT_RESERVED_SCOPES = RESERVED_SCOPES  # one definition, shared with ``tank init``


class Settings(BaseSettings):
    """Everything a registry process needs to know; immutable once built."""

    model_config = SettingsConfigDict(env_prefix="TANK_REGISTRY_", frozen=True, extra="forbid")

    database_url: str = "sqlite:///./tank-registry/registry.db"
    storage: Path = Path("./tank-registry/blobs")
    host: str = "127.0.0.1"
    port: int = 8800
    workers: int = 1
    public_url: str | None = None
    # Limits
    max_upload_bytes: int = 50 * 1024 * 1024
    max_json_bytes: int = 1024 * 1024
    unpublish_window_hours: int = 72
    # How long clients may use a skill document without asking again (npm's registry: 300 s).
    # 0 makes every install revalidate (ETag). Private documents are always revalidated.
    document_max_age_seconds: int = Field(default=300, ge=0, le=86_400)
    # How long the registry's signature over a skill document stays valid (TUF's expiry, against
    # freeze attacks): clients refuse an expired one. Keep it well above the max-age above; the
    # registry re-signs a served document once half of it has passed.
    document_signature_lifetime_seconds: int = Field(default=86_400, ge=1, le=366 * 86_400)
    # Scopes (TANK_REGISTRY_RESERVED_SCOPES is a JSON list). A scope exists only as a user or
    # an org, never by publishing into it (no claim on first publish: that let anyone squat).
    reserved_scopes: tuple[str, ...] = DEFAULT_RESERVED_SCOPES
    # Skills listed by the curated plugin marketplace (TANK_REGISTRY_MARKETPLACE_CURATED is a
    # JSON list of @scope/name), served at /v1/marketplace/curated/.claude-plugin/marketplace.json.
    marketplace_curated: tuple[str, ...] = ()
    # Rate limits: requests per minute (0 disables)
    rate_limit_writes_per_token: int = 60
    rate_limit_writes_per_ip: int = 120
    rate_limit_search_per_ip: int = 600
    # Web sign-in attempts per minute, per client IP and per username (password guessing)
    rate_limit_signin: int = 10
    # Reports of skills per minute, per user (whatever token or session) and per client IP
    rate_limit_reports: int = 10
    # How long a request waits for a database lock before answering 503 (SQLite busy timeout,
    # PostgreSQL lock_timeout): below a client's 30 s read timeout.
    db_lock_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    # The security scan of each publish and rescan (seconds before it fails closed)
    scan_timeout_seconds: float = Field(default=10.0, gt=0, le=600)
    # Tokens
    token_default_days: int | None = Field(default=90)
    # Offline OSV advisory database (a JSON file, a folder or an OSV all.zip); the admin updates
    # it by replacing the file. Unset: advisories.json next to the blob folder (the data dir).
    advisory_db: Path | None = None
    # Encrypts the registry's signing keys where they are kept (the database): with it set,
    # a copy of the database alone cannot sign attestations or tree heads. Keep it the same
    # across restarts and workers; losing it means rotating to a new key.
    signing_key_passphrase: str | None = Field(default=None, repr=False)
    # Trusted publishing (OIDC): the issuers whose CI tokens may be exchanged for a short-lived
    # publish token (TANK_REGISTRY_OIDC_ISSUERS is a JSON list; empty disables it), the
    # audience they must be minted for (default: public_url, else "tank"), how long the
    # exchanged token lives, and how long an issuer's keys (JWKS) are cached. Plain-http
    # issuers on loopback are for test setups only and need oidc_allow_loopback_http.
    oidc_issuers: tuple[str, ...] = ("https://token.actions.githubusercontent.com",)
    oidc_audience: str | None = None
    oidc_token_minutes: int = Field(default=15, ge=1, le=60)
    oidc_jwks_ttl_seconds: int = Field(default=300, ge=0, le=86_400)
    oidc_allow_loopback_http: bool = False
    # Sigstore bundles supplied at publish are verified offline against this trusted root
    # (a Sigstore trusted_root.json: Fulcio CAs, Rekor and CT log keys). Unset: the public
    # Sigstore's production root that the installed `sigstore` package ships. Set it for a
    # private Sigstore deployment.
    sigstore_trusted_root: Path | None = None
    # Publish-time behaviour check (off by default; needs bubblewrap, Landlock and seccomp on
    # the registry's machine, see docs/sandbox.md): run each published skill's `run` entry and
    # scripts in the sandbox with canary secrets planted and no real network, turn what it
    # attempts into findings, and re-run its tests under coverage to measure the coverage
    # point. Bounded: each run's wall clock and CPU time, its output, how many scripts run,
    # and the whole check's wall clock (keep it below a client's 30 s read timeout).
    behaviour_check: bool = False
    behaviour_run_seconds: float = Field(default=10.0, gt=0, le=300)
    behaviour_cpu_seconds: int = Field(default=10, ge=1, le=300)
    behaviour_output_bytes: int = Field(default=1 << 20, ge=1024, le=16 << 20)
    behaviour_max_scripts: int = Field(default=8, ge=1, le=64)
    behaviour_budget_seconds: float = Field(default=25.0, gt=0, le=600)

    @property
    def advisory_db_path(self) -> Path:
        """Where the advisory database is read from (a missing file is an empty database)."""
        return self.advisory_db or self.storage.parent / "advisories.json"

    @property
    def audience(self) -> str:
        """The ``aud`` a CI job's OIDC token must carry to be exchanged here."""
        return self.oidc_audience or self.public_url or "tank"

    @property
    def is_sqlite(self) -> bool:
        """True for the embedded SQLite deployment."""
        return self.database_url.startswith("sqlite")


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build settings from a TOML file (optional), the environment, and ``overrides``."""
    values: dict[str, Any] = {}
    if config_file is not None:
        with config_file.open("rb") as handle:
            from_file = tomllib.load(handle).get("registry", {})
        # The environment beats the file: keep only what no TANK_REGISTRY_* variable sets.
        in_env = {k[len(ENV_PREFIX) :].lower() for k in os.environ if k.startswith(ENV_PREFIX)}
        values.update({k: v for k, v in from_file.items() if k not in in_env})
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)
