"""The client's memory of skill-document serials: 0600, bounded, and damage fails closed;
and the verifier's rules for unsigned, rotated and unknown keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tank.client import signed_metadata, transparency
from tank.client.signed_metadata import DocumentVerifier, Seen, load_seen, save_seen, state_file
from tank.core.signed_documents import MetadataError, encode_header, sign_document
from tank.core.signing import generate_key, load_signer
from tank.core.translog import rotation_body

URL = "http://127.0.0.1:8800"
BODY = b'{"name":"@acme/pdf"}'
NOW = datetime.now(UTC)


@pytest.fixture(autouse=True)
def _state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANK_STATE_DIR", str(tmp_path))


def header(pem: bytes, serial: int, body: bytes = BODY, name: str = "@acme/pdf") -> str:
    envelope = sign_document(
        load_signer(pem), name, serial, body, now=NOW, lifetime=timedelta(hours=1)
    )
    return encode_header(envelope)


def served(*keys: object) -> dict[str, object]:
    return {"keys": list(keys)}


def test_state_round_trips_0600_merges_and_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_seen(URL) == Seen()
    save_seen(URL, Seen(True, {"@a/x": (5, 100), "@a/y": (1, 50)}))
    path = state_file(URL)
    assert path.stat().st_mode & 0o777 == 0o600
    # Another command saved meanwhile: the newer serial of each wins, nothing is lost.
    save_seen(URL, Seen(True, {"@a/x": (3, 200), "@a/z": (2, 10)}))
    assert load_seen(URL).serials == {"@a/x": (5, 200), "@a/y": (1, 50), "@a/z": (2, 10)}
    monkeypatch.setattr(signed_metadata, "MAX_SKILLS", 2)
    save_seen(URL, Seen(True, {}))
    assert set(load_seen(URL).serials) == {"@a/x", "@a/y"}  # the most recently seen kept


@pytest.mark.parametrize(
    "text",
    [
        "{broken",
        '{"version": 1, "signed": true, "skills": {"@a/x": {"serial": -1, "seen": 0}}}',
        '{"version": 1, "signed": "yes", "skills": {}}',
        '{"version": 2, "signed": true, "skills": {}}',
    ],
)
def test_a_damaged_state_fails_closed(text: str) -> None:
    path = state_file(URL)
    path.parent.mkdir(parents=True)
    path.write_text(text)
    verifier = DocumentVerifier(URL, served)
    with pytest.raises(MetadataError) as caught:
        verifier.check("@acme/pdf", BODY, None)  # not even an unsigned first use passes
    assert caught.value.code == "metadata_state_damaged" and str(path) in str(caught.value.hint)


def test_first_use_pins_the_key_then_unsigned_and_older_are_refused() -> None:
    pem, public = generate_key()
    asked: list[int] = []

    def keys() -> object:
        asked.append(1)
        return served({"key": public.as_dict(), "endorsement": None})

    first = DocumentVerifier(URL, keys)
    first.check("@acme/other", BODY, None)  # unsigned, never seen signing: accepted
    assert first.unsigned
    first.check("@acme/pdf", BODY, header(pem, 4))
    first.check("@acme/pdf", BODY, header(pem, 4))  # the same serial again is fine
    assert len(asked) == 1
    first.save()
    pinned = transparency.load_pinned(URL)
    assert pinned is not None and pinned.keys == (public,)  # the one pin store

    later = DocumentVerifier(URL, lambda: pytest.fail("pinned keys need no fetch"))
    with pytest.raises(MetadataError) as older:
        later.check("@acme/pdf", BODY, header(pem, 3))
    assert older.value.code == "metadata_rollback"
    with pytest.raises(MetadataError) as unsigned:
        later.check("@acme/pdf", BODY, None)
    assert unsigned.value.code == "metadata_unsigned"
    assert not later.accepts("@acme/pdf", BODY, None)
    later.check("@acme/pdf", BODY, header(pem, 5))


def test_an_endorsed_rotation_is_followed_and_an_unendorsed_key_refused() -> None:
    old_pem, old = generate_key()
    new_pem, new = generate_key()
    endorsement = load_signer(old_pem).sign_payload(
        rotation_body(old, new, "2025-01-01T00:00:00Z"), "application/vnd.tank.key-rotation+json"
    )
    chain = served(
        {"key": old.as_dict(), "endorsement": None},
        {"key": new.as_dict(), "endorsement": endorsement},
    )
    transparency.save_pinned(URL, transparency.Pinned((old,)))
    DocumentVerifier(URL, lambda: chain).check("@acme/pdf", BODY, header(new_pem, 1))
    pinned = transparency.load_pinned(URL)
    assert pinned is not None and pinned.keys == (old, new)

    rogue_pem, rogue = generate_key()
    swapped = served({"key": rogue.as_dict(), "endorsement": None})
    with pytest.raises(MetadataError) as caught:
        DocumentVerifier(URL, lambda: swapped).check("@acme/pdf", BODY, header(rogue_pem, 2))
    assert caught.value.code == "metadata_key_changed"
    assert str(transparency.pin_file(URL)) in str(caught.value.hint)


def test_an_expired_document_is_refused_by_the_verifier_clock() -> None:
    pem, public = generate_key()
    transparency.save_pinned(URL, transparency.Pinned((public,)))
    late = DocumentVerifier(URL, served, clock=lambda: NOW + timedelta(hours=2))
    with pytest.raises(MetadataError) as caught:
        late.check("@acme/pdf", BODY, header(pem, 1))
    assert caught.value.code == "metadata_expired" and URL in caught.value.message
