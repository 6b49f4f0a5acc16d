"""Before an installed skill runs: its folder must still be exactly the tarball skills.lock locks.

The sandbox enforces the permissions skills.lock records; those are worth something only if
the code that runs is the code that was scanned, scored and locked. So the installed folder
is read again as the canonical packer reads it (every file, ignore rules not applied: a
planted ``__pycache__/x.pyc`` is a change too) and compared with the tarball the lockfile's
integrity names. A difference, a link or a special file refuses the run (fail closed);
``tank verify`` says what changed and ``tank install`` puts the locked files back.

The comparison is of uncompressed tars: the folder's canonical tar against the cached
tarball install kept (read back only after its SHA-512 matches the lockfile's integrity).
That avoids compressing on every run (deflate at level 9 is most of a pack's cost) and does
not depend on the zlib that compressed the tarball (zlib-ng's bytes differ from zlib's; the
registry compares uploads the same way). Without a cached tarball, the folder is compressed
as the packer does and the digests compared.

Cost: one read of every file, a SHA-512 and an inflate (bench/README.md has the figures); the
stamps a later install compares would be cheaper, but ``touch -d`` fools them and this check
is a security boundary.
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


def _locked_tar(integrity: str, name: str, size: int) -> bytes | None:
    """The uncompressed tar of the cached tarball locked as ``integrity`` (verified against
    it), at most ``size`` + 1 bytes of it; ``None`` when the cache cannot provide it."""
    from tank.client.cache import ContentCache
    from tank.client.paths import cache_dir

    try:
        locked = ContentCache(cache_dir()).read_tarball(integrity, subject=name)
        if locked is None:
            return None
        return zlib.decompressobj(wbits=31).decompress(locked, size + 1)
    except (IntegrityError, OSError, zlib.error):
        return None


def check_intact(folder: Path, integrity: str, *, name: str) -> None:
    """Raise :class:`IntegrityError` (code ``run.tampered``) unless the files in ``folder``
    are exactly those of the tarball locked as ``integrity``."""
    from tank.core.pack import canonical_gzip, canonical_tar, read_tree

    hint = _HINT.format(name=name)
    try:
        tar = canonical_tar(read_tree(folder))
    except PackError as bad:
        raise IntegrityError(
            f"{name}'s installed folder is not what Tank installed: {bad.message}",
            code="run.tampered",
            location=bad.location,
            hint=hint,
        ) from None
    locked = _locked_tar(integrity, name, len(tar))
    if locked is not None:
        intact = locked == tar
    else:  # no cached tarball: compress as the packer does and compare the digests
        try:
            verify(canonical_gzip(tar), integrity, subject=name)
            intact = True
        except IntegrityError:
            intact = False
    if not intact:
        raise IntegrityError(
            f"{name}'s installed files do not match skills.lock: refusing to run it",
            code="run.tampered",
            detail=f"{folder} holds other files than the locked tarball {integrity[:20]}...",
            hint=hint,
        )
