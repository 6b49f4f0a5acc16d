"""The user config file and which registry serves which skill."""

from __future__ import annotations

from pathlib import Path

import pytest

from tank.client.config import (
    DEFAULT_REGISTRY,
    UserConfig,
    check_key,
    check_url,
    load_config,
    registry_map,
    save_config,
)
from tank.core.errors import UsageError, ValidationError


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TANK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("TANK_REGISTRY", raising=False)
    return tmp_path / "config"


def test_missing_file_is_an_empty_config(isolated: Path) -> None:
    config = load_config()
    assert config.values == {} and config.path == isolated / "config.toml"


def test_save_and_load_round_trip_sorted(isolated: Path) -> None:
    values = {"registry": "https://b.example", "@corp:registry": "https://corp.example"}
    save_config(UserConfig(values, isolated / "config.toml"))
    text = (isolated / "config.toml").read_text()
    assert text.index("@corp:registry") < text.index("\nregistry")  # sorted keys
    loaded = load_config()
    assert loaded.values == values
    assert loaded.scopes() == {"@corp": "https://corp.example"}
    assert not list(isolated.glob(".*.tmp"))


def test_broken_toml_is_a_validation_error(isolated: Path) -> None:
    isolated.mkdir()
    (isolated / "config.toml").write_text("registry = \n")
    with pytest.raises(ValidationError) as caught:
        load_config()
    assert caught.value.code == "config_invalid"
    assert "tank config set" in (caught.value.hint or "")


@pytest.mark.parametrize("key", ["registry", "@corp:registry", "@a-b-1:registry"])
def test_known_keys(key: str) -> None:
    check_key(key)


@pytest.mark.parametrize(
    "key", ["token", "Registry", "@Corp:registry", "corp:registry", "@corp:token", "@-x:registry"]
)
def test_unknown_keys_are_refused(key: str) -> None:
    with pytest.raises(UsageError) as caught:
        check_key(key)
    assert caught.value.hint is not None and "@scope:registry" in caught.value.hint


@pytest.mark.parametrize(
    "url",
    [
        "http://evil.example",
        "http://127.0.0.2.evil.example",
        "ftp://tank.example.com",
        "https://user:token@tank.example.com",
        "https://tank.example.com/?q=1",
        "https://tank.example.com/#x",
        "tank.example.com",
        "",
    ],
)
def test_insecure_or_odd_urls_are_refused(url: str) -> None:
    with pytest.raises(UsageError) as caught:
        check_url(url, what="registry")
    assert caught.value.message.startswith("registry: ")
    assert caught.value.hint


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("https://tank.example.com/", "https://tank.example.com"),
        ("https://tank.example.com/sub/path", "https://tank.example.com/sub/path"),
        ("http://localhost:8800", "http://localhost:8800"),
        ("http://127.0.0.1:8800/", "http://127.0.0.1:8800"),
        ("http://[::1]:8800", "http://[::1]:8800"),
    ],
)
def test_good_urls_are_normalised(url: str, normalised: str) -> None:
    assert check_url(url, what="registry") == normalised


def test_registry_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    config = UserConfig(
        {"registry": "https://from-file.example", "@corp:registry": "https://corp.example/"}
    )
    assert registry_map(config=UserConfig()).default == DEFAULT_REGISTRY
    assert registry_map(config=config).default == "https://from-file.example"
    monkeypatch.setenv("TANK_REGISTRY", "https://from-env.example")
    assert registry_map(config=config).default == "https://from-env.example"
    routes = registry_map(override="https://flag.example/", config=config)
    assert routes.default == "https://flag.example"
    # scopes keep their registry whatever the default is
    assert routes.for_name("@corp/tool") == "https://corp.example"
    assert routes.for_name("@other/tool") == "https://flag.example"
    # a project's skills.json mapping beats the user's
    project = registry_map(
        config=config, project_registries={"@corp": "https://project-corp.example"}
    )
    assert project.for_name("@corp/tool") == "https://project-corp.example"


def test_bad_urls_anywhere_in_the_chain_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UsageError):
        registry_map(override="http://evil.example", config=UserConfig())
    monkeypatch.setenv("TANK_REGISTRY", "http://evil.example")
    with pytest.raises(UsageError):
        registry_map(config=UserConfig())
    monkeypatch.delenv("TANK_REGISTRY")
    with pytest.raises(UsageError) as caught:
        registry_map(config=UserConfig({"@corp:registry": "http://evil.example"}))
    assert "@corp" in caught.value.message
    with pytest.raises(UsageError):
        registry_map(config=UserConfig(), project_registries={"@x": "http://evil.example"})


def test_ci_token_never_goes_to_a_registry_only_the_project_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cloned project's skills.json may map a scope to any host; TANK_TOKEN (the CI's
    secret) must only reach registries the user chose."""
    from tank.client.config import UserConfig, registry_map
    from tank.client.registries import Registries

    monkeypatch.setenv("TANK_CONFIG_DIR", str(tmp_path))
    monkeypatch.setenv("TANK_TOKEN", "ci-secret")
    monkeypatch.delenv("TANK_REGISTRY", raising=False)
    user = UserConfig(
        {"registry": "https://tank.example", "@corp:registry": "https://corp.example"}
    )
    routes = registry_map(project_registries={"@evil": "https://evil.example"}, config=user)
    with Registries(routes) as registries:
        assert registries.for_name("@evil/x").token is None
        assert registries.for_name("@corp/x").token == "ci-secret"
        assert registries.for_name("@any/x").token == "ci-secret"
