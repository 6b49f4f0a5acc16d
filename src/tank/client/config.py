"""The user's configuration (``config.toml``) and which registry serves which skill.

Keys follow npm: ``registry`` is the default registry, ``@scope:registry`` the registry of one
scope. A project may also map scopes in its skills.json ``registries``. Precedence for a skill
``@scope/name``: the project's ``registries["@scope"]``, then the user's ``@scope:registry``,
then the default (``--registry``, then ``TANK_REGISTRY``, then the user's ``registry``, then
:data:`DEFAULT_REGISTRY`).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tank.client.paths import config_dir
from tank.core.errors import UsageError, ValidationError
from tank.core.manifest_rules import check_registry_url

CONFIG_FILE = "config.toml"
DEFAULT_REGISTRY = "http://127.0.0.1:8800"
_SCOPE_KEY = re.compile(r"^(@[a-z0-9]+(?:-[a-z0-9]+)*):registry$")
KNOWN_KEYS = ("registry", "@scope:registry")


def normalise_url(url: str) -> str:
    """A registry base URL without its trailing slash (paths start with ``/v1``)."""
    return url.rstrip("/")


def check_key(key: str) -> None:
    """Refuse a config key Tank does not know (npm-style: ``registry``, ``@scope:registry``)."""
    if key != "registry" and not _SCOPE_KEY.match(key):
        raise UsageError(
            f"unknown config key {key!r}",
            code="config_key",
            hint="keys are `registry` and `@scope:registry` (e.g. `@corp:registry`)",
        )


def check_url(url: str, *, what: str) -> str:
    """``url`` normalised, or a :class:`UsageError` saying what is wrong with it."""
    problems = check_registry_url(url)
    if problems:
        _, message, hint = problems[0]
        raise UsageError(f"{what}: {message}", code="registry_url", hint=hint)
    return normalise_url(url)


@dataclass(frozen=True, slots=True)
class UserConfig:
    """The settings in ``config.toml`` (string keys to string values)."""

    values: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    def get(self, key: str) -> str | None:
        """The value of ``key``, or ``None``."""
        return self.values.get(key)

    def scopes(self) -> dict[str, str]:
        """``@scope -> registry URL`` from the ``@scope:registry`` keys."""
        out: dict[str, str] = {}
        for key, value in self.values.items():
            match = _SCOPE_KEY.match(key)
            if match:
                out[match.group(1)] = value
        return out


def load_config(path: Path | None = None) -> UserConfig:
    """Read ``config.toml`` (missing file: empty config); a broken file is a clear error."""
    path = path or config_dir() / CONFIG_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return UserConfig({}, path)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as bad:
        raise ValidationError(
            f"{path} is not valid TOML: {bad}",
            code="config_invalid",
            hint="fix the file or delete it and set values again with `tank config set`",
        ) from None
    values = {str(k): str(v) for k, v in data.items() if isinstance(v, str)}
    return UserConfig(values, path)


def save_config(config: UserConfig) -> None:
    """Write ``config.toml`` atomically (keys sorted, one per line)."""
    import tomli_w

    assert config.path is not None
    config.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = tomli_w.dumps(dict(sorted(config.values.items())))
    temp = config.path.with_name(f".{config.path.name}.tmp")
    temp.write_text(text, encoding="utf-8")
    temp.replace(config.path)


@dataclass(frozen=True, slots=True)
class RegistryMap:
    """Which registry serves each skill: a default and per-scope overrides."""

    default: str
    scopes: Mapping[str, str] = field(default_factory=dict)
    #: Registries the user chose (flag, environment, user config), as opposed to ones only a
    #: project's skills.json names: only these may receive the ``TANK_TOKEN`` of the CI.
    trusted: frozenset[str] = frozenset()

    def for_name(self, name: str) -> str:
        """The registry base URL for skill ``name`` (``@scope/name``)."""
        scope = name.split("/", 1)[0]
        return self.scopes.get(scope, self.default)


def registry_map(
    *,
    override: str | None = None,
    project_registries: Mapping[str, str] | None = None,
    config: UserConfig | None = None,
) -> RegistryMap:
    """Combine flag, environment, project and user settings into one :class:`RegistryMap`."""
    config = config if config is not None else load_config()
    default = override or os.environ.get("TANK_REGISTRY") or config.get("registry")
    default = check_url(default, what="registry") if default else DEFAULT_REGISTRY
    scopes = {s: check_url(u, what=f"registry for {s}") for s, u in config.scopes().items()}
    trusted = frozenset({default, *scopes.values()})
    for scope, url in (project_registries or {}).items():
        scopes[scope] = check_url(url, what=f"skills.json registry for {scope}")
    return RegistryMap(default, scopes, trusted)
