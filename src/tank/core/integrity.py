"""Digests: Subresource Integrity strings for archives, SHA-256 for the files inside them.

An archive's integrity is an SRI string (``sha512-<base64>``), the format npm lockfiles and
browsers use, so the algorithm travels with the digest. :func:`verify` accepts only the SRI
algorithms (``sha256``, ``sha384``, ``sha512``); ``sha1`` and ``md5`` from old npm lockfiles are
refused as too weak rather than silently trusted. One hash per string: the multi-hash and
``?option`` forms of the SRI spec are refused as malformed because Tank never writes them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from dataclasses import dataclass

from tank.core.errors import IntegrityError

#: SRI algorithm name -> digest size in bytes.
_ALGORITHMS = {"sha256": 32, "sha384": 48, "sha512": 64}
_WEAK = frozenset({"md5", "sha1"})
_SRI = re.compile(r"([a-z0-9]+)-([A-Za-z0-9+/]+={0,2})")


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One file of an archive: POSIX path, size in bytes, SHA-256 hex digest, owner-exec bit."""

    path: str
    size: int
    sha256: str
    executable: bool

    @classmethod
    def of(cls, path: str, data: bytes, *, executable: bool) -> FileEntry:
        """The entry describing ``data`` stored at ``path``."""
        return cls(path=path, size=len(data), sha256=sha256_hex(data), executable=executable)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view with stable keys."""
        return {
            "path": self.path,
            "size": self.size,
            "sha256": self.sha256,
            "executable": self.executable,
        }


def sha256_hex(data: bytes) -> str:
    """The lowercase hexadecimal SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sri_sha512(data: bytes) -> str:
    """The Subresource Integrity string ``sha512-<base64>`` of ``data``."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def parse_sri(text: str) -> tuple[str, bytes]:
    """Split an SRI string into its algorithm and raw digest; raise :class:`IntegrityError`."""
    match = _SRI.fullmatch(text.strip())
    if match is None:
        raise IntegrityError(
            f"malformed integrity string {text!r}",
            code="integrity_malformed",
            hint="Expected one '<algorithm>-<base64 digest>', e.g. 'sha512-…'.",
        )
    algorithm, encoded = match.groups()
    if algorithm in _WEAK or algorithm not in _ALGORITHMS:
        why = "is too weak to trust" if algorithm in _WEAK else "is not supported"
        raise IntegrityError(
            f"integrity algorithm {algorithm!r} {why}",
            code="integrity_unsupported_algorithm",
            hint="Use sha512 (Tank writes 'sha512-…'); regenerate the lockfile if it is old.",
        )
    try:
        digest = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        digest = b""
    if len(digest) != _ALGORITHMS[algorithm]:
        raise IntegrityError(
            f"malformed {algorithm} digest in integrity string {text!r}",
            code="integrity_malformed",
            hint=f"A {algorithm} digest is {_ALGORITHMS[algorithm]} bytes of base64.",
        )
    return algorithm, digest


def verify(data: bytes, expected: str, *, subject: str | None = None) -> None:
    """Raise :class:`IntegrityError` unless ``data`` has the SRI digest ``expected``.

    ``subject`` names what is checked (e.g. ``"@acme/deploy@1.2.0"``) for the message. The
    digests are compared in constant time so that timing reveals nothing about the expected one.
    """
    algorithm, want = parse_sri(expected)
    got = hashlib.new(algorithm, data).digest()
    if not hmac.compare_digest(got, want):
        what = subject or "content"
        actual = f"{algorithm}-{base64.b64encode(got).decode('ascii')}"
        raise IntegrityError(
            f"{what} does not match its integrity digest",
            detail=f"expected {expected.strip()}\nactual   {actual}",
            hint="The download is corrupt or was tampered with; retry, and report it if the "
            "mismatch persists.",
        )
