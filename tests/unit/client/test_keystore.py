"""Signing keys on this machine: keyring or a 0600 file, passphrases, choosing a key."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tank.client import keystore
from tank.client.publishing import choose_signer
from tank.core.errors import UsageError
from tank.core.signing import SignatureError
from tests.unit.client.test_credentials import MemoryKeyring, ring

__all__ = ["ring"]


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TANK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("TANK_NO_KEYRING", "1")
    monkeypatch.delenv(keystore.PASSPHRASE_ENV, raising=False)
    return tmp_path / "config"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_without_a_keyring_the_private_key_is_a_0600_file(isolated: Path) -> None:
    key = keystore.generate("laptop")
    private = isolated / "keys" / f"{key.keyid}.pem"
    assert key.storage == "file" and not key.encrypted
    assert mode(private) == 0o600 and mode(private.parent) == 0o700
    assert mode(isolated / "keys" / "keys.json") == 0o600
    assert b"PRIVATE KEY" in private.read_bytes()
    index = json.loads((isolated / "keys" / "keys.json").read_text())
    assert "PRIVATE" not in json.dumps(index)  # the index holds public halves only
    signer = keystore.signer_for(key)
    assert signer.public == key.public


def test_the_keyring_holds_the_private_key_when_it_works(
    isolated: Path,
    ring: MemoryKeyring,
) -> None:
    key = keystore.generate("laptop")
    assert key.storage == "keyring"
    assert not (isolated / "keys" / f"{key.keyid}.pem").exists()
    assert "PRIVATE KEY" in ring.secrets[(keystore.KEYRING_SERVICE, key.keyid)]
    assert keystore.signer_for(key).public.keyid == key.keyid
    ring.secrets.clear()  # the keyring lost it: a clear error, not a crash
    with pytest.raises(Exception, match="not in the system keyring"):
        keystore.signer_for(key)


def test_a_passphrase_protects_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    key = keystore.generate("enc", passphrase="s3cret")
    assert key.encrypted and b"ENCRYPTED" in keystore.private_pem(key)
    with pytest.raises(SignatureError) as missing:
        keystore.signer_for(key)  # no variable, no prompt
    assert missing.value.code == "key_passphrase_required"
    with pytest.raises(SignatureError) as wrong:
        keystore.signer_for(key, prompt=lambda: "wrong")
    assert wrong.value.code == "key_unreadable"
    assert keystore.signer_for(key, prompt=lambda: "s3cret").public == key.public
    monkeypatch.setenv(keystore.PASSPHRASE_ENV, "s3cret")
    assert keystore.signer_for(key).public == key.public


def test_choosing_the_signing_key(tmp_path: Path) -> None:
    assert choose_signer(None, None, None) is None  # no key: publish unsigned
    with pytest.raises(UsageError, match="no signing key"):
        choose_signer(True, None, None)  # --sign without a key
    first = keystore.generate("one")
    second = keystore.generate("two")
    chosen = choose_signer(None, None, None)
    assert chosen is not None and chosen.public.keyid in {first.keyid, second.keyid}
    assert keystore.find(None) == keystore.local_keys()[-1]
    picked = choose_signer(None, first.keyid[:8], None)
    assert picked is not None and picked.public == first.public
    assert choose_signer(False, None, None) is None
    with pytest.raises(UsageError):
        choose_signer(False, first.keyid, None)
    with pytest.raises(UsageError, match="names no local key"):
        choose_signer(None, "0" * 12, None)
    pem_file = tmp_path / "key.pem"
    pem_file.write_bytes(keystore.private_pem(second))
    from_file = choose_signer(None, str(pem_file), None)
    assert from_file is not None and from_file.public == second.public
