"""The client's pinned transparency-log state: written 0600, read back, never guessed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tank.client import transparency
from tank.core import merkle
from tank.core.signing import generate_key, load_signer
from tank.core.translog import LogError, TreeHead, sign_head

URL = "http://127.0.0.1:8800"


def test_pins_round_trip_and_a_damaged_file_fails_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TANK_STATE_DIR", str(tmp_path))
    assert transparency.load_pinned(URL) is None  # first use
    pem, public = generate_key()
    head = TreeHead(0, merkle.EMPTY_ROOT, "2025-01-01T00:00:00Z")
    envelope = sign_head(load_signer(pem), head)
    transparency.save_pinned(URL, transparency.Pinned((public,), head, envelope))
    path = transparency.pin_file(URL)
    assert path.parent == tmp_path / "transparency" and path.stat().st_mode & 0o777 == 0o600
    loaded = transparency.load_pinned(URL)
    assert loaded is not None and loaded.head == head and loaded.keys == (public,)
    # A head in the pin file that its pinned keys did not sign is damage, not a first use.
    _, other = generate_key()
    transparency.save_pinned(URL, transparency.Pinned((other,), head, envelope))
    with pytest.raises(LogError) as damaged:
        transparency.load_pinned(URL)
    assert damaged.value.code == "log_state_damaged" and str(path) in str(damaged.value.hint)
    path.write_text("{not json")
    with pytest.raises(LogError):
        transparency.load_pinned(URL)
