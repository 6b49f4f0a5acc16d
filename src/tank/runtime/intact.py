"""Before an installed skill runs: its folder must still be exactly the tarball skills.lock locks.

The sandbox enforces the permissions skills.lock records; those are worth something only if
the code that runs is the code that was scanned, scored and locked. So the installed folder
is packed again canonically (every file, ignore rules not applied: a planted
``__pycache__/x.pyc`` is a change too) and its integrity compared with the lockfile's. A
mismatch, a link or a special file refuses the run (fail closed); ``tank verify`` says what
changed and ``tank install`` puts the locked files back.

The gzip stream depends on the zlib that made it (zlib-ng compresses differently), so when
the digests differ the uncompressed tars are compared too, against the verified tarball in
the content cache; the registry accepts uploads the same way. Without a cached tarball to
compare with, the mismatch stands.

Cost: one read of every file and a deflate, about 1 ms for a typical skill of a few files and
tens of KiB (bench/README.md); the stamps a later install compares would be cheaper but a
``touch -d`` fools them, and this check is a security boundary.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from tank.core.errors import IntegrityError, PackError
from tank.core.integrity import verify

_HINT = (
    "`tank verify {name}` shows what changed; `tank install` puts the locked files back "
    "(or `tank run ./<folder>` runs a folder you are editing, under its own skills.json)"
)


def _tar(gzipped: bytes, limit: int) -> bytes:
    """The decompressed bytes of ``gzipped``, at most ``limit`` + 1 of them (bounded)."""
    return zlib.decompressobj(wbits=31).decompress(gzipped, limit + 1)


def _same_files(ours: bytes, integrity: str, name: str) -> bool:
    """Whether the cached tarball locked as ``integrity`` holds the tar ``ours`` holds."""
    from tank.client.cache import ContentCache
    from tank.client.paths import cache_dir

    try:
        locked = ContentCache(cache_dir()).read_tarball(integrity, subject=name)
    except (IntegrityError, OSError):
        return False
    if locked is None:
        return False
    tar = zlib.decompress(ours, wbits=31)  # ours: made by pack_tree, within its limits
    try:
        return _tar(locked, len(tar)) == tar
    except zlib.error:
        return False


def check_intact(folder: Path, integrity: str, *, name: str) -> None:
    """Raise :class:`IntegrityError` (code ``run.tampered``) unless the folder packs to the
    tarball locked as ``integrity``."""
    from tank.core.pack import pack_tree

    hint = _HINT.format(name=name)
    try:
        packed = pack_tree(folder)
    except PackError as bad:
        raise IntegrityError(
            f"{name}'s installed folder is not what Tank installed: {bad.message}",
            code="run.tampered",
            location=bad.location,
            hint=hint,
        ) from None
    try:
        verify(packed.data, integrity, subject=name)
        return
    except IntegrityError:  # another zlib, or other files (or a malformed integrity)
        if _same_files(packed.data, integrity, name):
            return
    raise IntegrityError(
        f"{name}'s installed files do not match skills.lock: refusing to run it",
        code="run.tampered",
        detail=f"{folder} packs to {packed.integrity[:23]}..., skills.lock locks "
        f"{integrity[:23]}...",
        hint=hint,
    )
