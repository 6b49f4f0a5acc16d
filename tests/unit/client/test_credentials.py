"""Token storage: a 0600 file in a 0700 folder, or the keyring; TANK_TOKEN wins."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from tank.client import credentials
from tank.core.errors import TankError

REG = "https://tank.example.com"
OTHER = "http://127.0.0.1:8800"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TANK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("TANK_NO_KEYRING", "1")
    monkeypatch.delenv("TANK_TOKEN", raising=False)
    return tmp_path / "config"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_store_read_forget(isolated: Path) -> None:
    assert credentials.token_for(REG) is None
    where = credentials.store_token(REG, "tok-one", username="alice")
    credentials.store_token(OTHER, "tok-two", username=None)
    path = isolated / "credentials.json"
    assert where == str(path)
    assert credentials.token_for(REG) == "tok-one"
    assert credentials.token_for(OTHER) == "tok-two"
    assert credentials.username_for(REG) == "alice"
    assert credentials.username_for(OTHER) is None
    credentials.store_token(REG, "tok-three", username="alice")  # a new login replaces
    assert credentials.token_for(REG) == "tok-three"
    assert credentials.forget_token(REG) is True
    assert credentials.forget_token(REG) is False
    assert credentials.token_for(REG) is None
    assert credentials.token_for(OTHER) == "tok-two"  # other registries are untouched
    assert json.loads(path.read_text()) == {OTHER: {"token": "tok-two"}}


def test_file_is_0600_in_a_0700_folder_even_when_the_folder_existed(isolated: Path) -> None:
    isolated.mkdir(mode=0o755)
    isolated.chmod(0o755)  # as config.toml's save would leave it under a 022 umask
    credentials.store_token(REG, "tok", username="alice")
    assert mode(isolated / "credentials.json") == 0o600
    assert mode(isolated) == 0o700
    # no temporary file with the token is left behind
    assert sorted(p.name for p in isolated.iterdir()) == ["credentials.json"]


def test_a_planted_temp_file_or_link_is_not_written_through(isolated: Path) -> None:
    isolated.mkdir(mode=0o700)
    outside = isolated.parent / "outside.txt"
    outside.write_text("untouched")
    (isolated / ".credentials.json.tmp").symlink_to(outside)
    credentials.store_token(REG, "tok", username=None)
    assert outside.read_text() == "untouched"
    assert credentials.token_for(REG) == "tok"


def test_tank_token_wins_but_is_not_a_stored_token(monkeypatch: pytest.MonkeyPatch) -> None:
    credentials.store_token(REG, "stored", username="alice")
    monkeypatch.setenv("TANK_TOKEN", "from-env")
    assert credentials.token_for(REG) == "from-env"
    assert credentials.token_for("https://never-logged-in.example") == "from-env"
    assert credentials.stored_token(REG) == "stored"
    monkeypatch.setenv("TANK_TOKEN", "")  # empty means unset
    assert credentials.token_for(REG) == "stored"


def test_a_broken_file_is_a_clear_error(isolated: Path) -> None:
    isolated.mkdir()
    (isolated / "credentials.json").write_text("{broken")
    with pytest.raises(TankError) as caught:
        credentials.token_for(REG)
    assert caught.value.code == "credentials_invalid"
    assert caught.value.hint is not None and "tank login" in caught.value.hint


class MemoryKeyring(KeyringBackend):
    """A working keyring backend living in memory (this machine has no keyring daemon)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture
def ring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    monkeypatch.delenv("TANK_NO_KEYRING")
    yield backend
    keyring.set_keyring(previous)


def test_keyring_holds_the_token_and_the_file_only_a_marker(
    ring: MemoryKeyring, isolated: Path
) -> None:
    where = credentials.store_token(REG, "secret-in-ring", username="alice")
    assert where == "the system keyring"
    assert ring.secrets == {("tank", REG): "secret-in-ring"}
    text = (isolated / "credentials.json").read_text()
    assert "secret-in-ring" not in text
    assert json.loads(text) == {REG: {"keyring": True, "username": "alice"}}
    assert credentials.token_for(REG) == "secret-in-ring"
    assert credentials.forget_token(REG) is True
    assert ring.secrets == {}


def test_the_fail_backend_means_no_keyring(monkeypatch: pytest.MonkeyPatch, isolated: Path) -> None:
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    monkeypatch.delenv("TANK_NO_KEYRING")
    try:
        assert credentials.store_token(REG, "tok", username=None) == str(
            isolated / "credentials.json"
        )
        assert credentials.token_for(REG) == "tok"
    finally:
        keyring.set_keyring(previous)
