"""SRI strings, constant-time verification and per-file digests."""

from __future__ import annotations

import base64
import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tank.core.errors import IntegrityError
from tank.core.integrity import FileEntry, parse_sri, sha256_hex, sri_sha512, verify

EMPTY_SHA512 = (
    "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8"
    "XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="
)


def test_sri_sha512_known_vector() -> None:
    assert sri_sha512(b"") == EMPTY_SHA512


def test_sha256_hex_known_vector() -> None:
    assert sha256_hex(b"abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


@given(st.binary(max_size=512))
def test_verify_accepts_own_digest(data: bytes) -> None:
    verify(data, sri_sha512(data))


@given(st.binary(max_size=64), st.binary(max_size=64))
def test_verify_rejects_other_data(data: bytes, other: bytes) -> None:
    if data == other:
        return
    with pytest.raises(IntegrityError) as caught:
        verify(other, sri_sha512(data), subject="@acme/x@1.0.0")
    assert caught.value.code == "integrity_mismatch"
    assert "@acme/x@1.0.0" in caught.value.message
    assert caught.value.hint
    assert sri_sha512(data) in (caught.value.detail or "")


@pytest.mark.parametrize("algorithm", ["sha256", "sha384", "sha512"])
def test_verify_accepts_sri_algorithms(algorithm: str) -> None:
    digest = base64.b64encode(hashlib.new(algorithm, b"x").digest()).decode()
    verify(b"x", f"{algorithm}-{digest}")
    assert parse_sri(f"{algorithm}-{digest}")[0] == algorithm


@pytest.mark.parametrize(
    "text",
    [
        "",
        "sha512",
        "sha512-",
        "sha512:" + EMPTY_SHA512[7:],
        "SHA512-" + EMPTY_SHA512[7:],
        EMPTY_SHA512[:-4],  # too short
        EMPTY_SHA512 + "AAAA",  # too long
        EMPTY_SHA512.replace("/", "_"),  # base64url is not SRI
        EMPTY_SHA512 + " " + EMPTY_SHA512,  # multi-hash form
        EMPTY_SHA512 + "?opt",
        "sha512-!!!!",
    ],
)
def test_verify_rejects_malformed(text: str) -> None:
    with pytest.raises(IntegrityError) as caught:
        verify(b"", text)
    assert caught.value.code == "integrity_malformed"


@pytest.mark.parametrize("algorithm", ["sha1", "md5", "blake3", "sha3"])
def test_verify_rejects_unknown_or_weak_algorithms(algorithm: str) -> None:
    digest = base64.b64encode(b"\0" * 20).decode()
    with pytest.raises(IntegrityError) as caught:
        verify(b"", f"{algorithm}-{digest}")
    assert caught.value.code == "integrity_unsupported_algorithm"
    assert algorithm in caught.value.message


def test_verify_tolerates_surrounding_whitespace() -> None:
    verify(b"", f"  {EMPTY_SHA512}\n")


def test_file_entry_of() -> None:
    entry = FileEntry.of("a/b.sh", b"abc", executable=True)
    assert entry == FileEntry("a/b.sh", 3, sha256_hex(b"abc"), True)
    assert entry.as_dict() == {
        "path": "a/b.sh",
        "size": 3,
        "sha256": sha256_hex(b"abc"),
        "executable": True,
    }
