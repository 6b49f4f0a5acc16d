"""The memo of verified envelopes: a tag only this machine's key can make, for exactly what
was verified."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest

from tank.client.memo import Memo

PARTS = ("publish", "sha256-abc", "k" * 64, "@acme/tool", "1.0.0", "sha512-xyz")


def test_a_remembered_verification_is_seen_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TANK_STATE_DIR", str(tmp_path / "state"))
    memo = Memo(tmp_path / "cache" / "verified")
    assert not memo.seen(*PARTS)
    memo.remember(*PARTS)
    assert memo.seen(*PARTS)
    assert Memo(tmp_path / "cache" / "verified").seen(*PARTS)  # the next command too
    for i in range(len(PARTS)):  # any other envelope, key, name, version or tarball: unseen
        other = (*PARTS[:i], PARTS[i] + "x", *PARTS[i + 1 :])
        assert not memo.seen(*other)
    key = tmp_path / "state" / "verified.key"
    assert key.stat().st_mode & 0o777 == 0o600 and len(key.read_bytes()) == 32


def test_a_tag_planted_without_the_key_is_not_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone who can write the cache but not read the state folder guesses a key."""
    monkeypatch.setenv("TANK_STATE_DIR", str(tmp_path / "state"))
    root = tmp_path / "cache" / "verified"
    guess = hmac.new(b"\0" * 32, "\0".join(PARTS).encode(), hashlib.sha256).hexdigest()
    (root / guess[:2]).mkdir(parents=True)
    (root / guess[:2] / guess).touch()
    plain = hashlib.sha256("\0".join(PARTS).encode()).hexdigest()
    (root / plain[:2]).mkdir(parents=True, exist_ok=True)
    (root / plain[:2] / plain).touch()
    assert not Memo(root).seen(*PARTS)


def test_without_a_usable_key_nothing_is_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TANK_STATE_DIR", str(tmp_path / "state"))
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "verified.key").write_bytes(b"short")  # damaged: not trusted
    memo = Memo(tmp_path / "cache" / "verified")
    memo.remember(*PARTS)
    assert not memo.seen(*PARTS)
    assert not (tmp_path / "cache" / "verified").exists()
