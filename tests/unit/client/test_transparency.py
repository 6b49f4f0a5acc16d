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


def test_pins_remember_the_heads_they_accepted_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`tank verify` checks proofs kept against earlier heads: the pins list them, newest
    last, each once, at most SEEN_HEADS, and a head never accepted is not known."""
    monkeypatch.setenv("TANK_STATE_DIR", str(tmp_path))
    monkeypatch.setattr(transparency, "SEEN_HEADS", 3)
    pem, public = generate_key()
    signer = load_signer(pem)

    def head(size: int) -> TreeHead:
        return TreeHead(size, bytes([size]) * 32, "2025-01-01T00:00:00Z")

    pinned = transparency.Pinned((public,))
    for size in (1, 2, 2, 3, 4, 5):
        pinned = pinned.moved_to((public,), head(size), sign_head(signer, head(size)))
    assert pinned.head == head(5)
    assert pinned.seen == (
        (2, head(2).root.hex()),
        (3, head(3).root.hex()),
        (4, head(4).root.hex()),
    )
    assert all(pinned.knows(head(n)) for n in (2, 3, 4, 5))
    assert not pinned.knows(head(1))  # dropped: older than the bound
    assert not pinned.knows(TreeHead(4, b"\x09" * 32, "2025-01-01T00:00:00Z"))  # another root
    transparency.save_pinned(URL, pinned)
    loaded = transparency.load_pinned(URL)
    assert loaded is not None and loaded.seen == pinned.seen and loaded.head == head(5)
