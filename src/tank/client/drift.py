"""Reading installed skill folders: stamps (one ``stat`` per file) and digests (a read each).

Two depths, as git has ``git status`` and a full re-hash:

- :func:`stamps` records each regular file's size, modification time and exec bit. Tank
  stores them in the install state when it places a folder; a later install walks the folder
  again and compares (:func:`unchanged`): an edit, a ``chmod``, an added or deleted file all
  change the stamps, at the cost of a ``stat`` per file. An edit made on purpose to keep the
  size and the modification time (``touch -d``) passes this check; ``tank verify`` hashes.
- :func:`found` reads every file the version should hold and hashes it, for
  :func:`tank.core.verification.compare_files`.

Neither follows a symbolic link: a link inside a skill folder is reported as such, never
read through.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path

from tank.core.verification import Found

_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_CHUNK = 1024 * 1024


def _walk(
    root: str, prefix: str = "", *, folders: bool = False
) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """``(relative path, entry)`` for every entry below ``root``, folders included when
    ``folders`` (they are descended into, never through a link)."""
    with os.scandir(root) as entries:
        for entry in entries:
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if folders:
                    yield rel, entry
                yield from _walk(entry.path, rel + "/", folders=folders)
            else:
                yield rel, entry


def is_real_dir(path: Path) -> bool:
    """True for a directory that is not a symbolic link."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def stamp(st: os.stat_result) -> str:
    """``size:mtime_ns:exec`` of a regular file, ``d:mtime_ns`` of a folder (its mtime moves
    when an entry is added, removed or renamed in it), ``other`` for anything else."""
    if stat.S_ISREG(st.st_mode):
        return f"{st.st_size}:{st.st_mtime_ns}:{1 if st.st_mode & 0o100 else 0}"
    if stat.S_ISDIR(st.st_mode):
        return f"d:{st.st_mtime_ns}"
    return "other"


def stamps(root: Path, *, folders: bool = True) -> dict[str, str] | None:
    """The stamp of every file under ``root`` (and of every folder, ``root`` itself as
    ``.``, unless ``folders`` is false); ``None`` when ``root`` is not a real folder or holds
    anything but folders and regular files (a link, a FIFO: not what Tank placed)."""
    if not is_real_dir(root):
        return None
    out: dict[str, str] = {}
    try:
        if folders:
            out["."] = stamp(os.lstat(root))
        for rel, entry in _walk(str(root), folders=folders):
            st = entry.stat(follow_symlinks=False)
            if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
                return None
            out[rel] = stamp(st)
    except OSError:
        return None
    return out


def unchanged(root: Path, recorded: Mapping[str, str]) -> bool:
    """True when every file and folder ``recorded`` under ``root`` has the same stamp.

    One ``lstat`` per recorded entry and no directory listing: an added or deleted entry
    shows in its folder's stamp, an edit or ``chmod`` in the file's.
    """
    if not recorded or "." not in recorded:
        return False
    base = str(root)
    try:
        for rel, want in recorded.items():
            path = base if rel == "." else f"{base}/{rel}"
            if stamp(os.lstat(path)) != want:
                return False
    except OSError:
        return False
    return True


def same_files(copy: Path, recorded: Mapping[str, str]) -> bool:
    """True when ``copy`` (a mirror copied from the canonical folder, whose folders are its
    own) holds exactly the files ``recorded``, with the same stamps."""
    files = {k: v for k, v in recorded.items() if not v.startswith("d:")}
    return bool(files) and stamps(copy, folders=False) == files


def found(root: Path, expected: Collection[str]) -> dict[str, Found] | None:
    """Every entry under ``root``; files in ``expected`` hashed (others only listed: an added
    file is reported, never read). ``None`` when ``root`` is not a real folder."""
    if not is_real_dir(root):
        return None
    out: dict[str, Found] = {}
    for rel, entry in _walk(str(root)):
        st = entry.stat(follow_symlinks=False)
        if stat.S_ISLNK(st.st_mode):
            out[rel] = Found("symlink")
        elif not stat.S_ISREG(st.st_mode):
            out[rel] = Found("other")
        elif rel not in expected:
            out[rel] = Found("file", None, bool(st.st_mode & 0o100))
        else:
            out[rel] = Found("file", _sha256(entry.path), bool(st.st_mode & 0o100))
    return out


def _sha256(path: str) -> str | None:
    """The file's SHA-256, opened without following links (``None``: it changed under us)."""
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError:
        return None
    digest = hashlib.sha256()
    try:
        while chunk := os.read(fd, _CHUNK):
            digest.update(chunk)
    finally:
        os.close(fd)
    return digest.hexdigest()


@functools.lru_cache(maxsize=64)
def _relative(target_dir: str, link_dir: str) -> str:
    return os.path.relpath(target_dir, link_dir)


def link_target(canonical: Path, link: Path) -> str:
    """The relative target a mirror link at ``link`` has when Tank made it."""
    return os.path.join(_relative(str(canonical.parent), str(link.parent)), canonical.name)


def looks_clean(canonical: Path, mirrors: Collection[Path], recorded: Mapping[str, str]) -> bool:
    """The fast check: ``canonical`` holds exactly the ``recorded`` stamps, and every mirror
    is a link to it (as Tank makes them) or a copy with the same files (copies keep the
    modification times of what they copy)."""
    if not unchanged(canonical, recorded):
        return False
    for link in mirrors:
        try:
            target = os.readlink(link)
        except OSError:  # not a link: a copy, or nothing
            if not same_files(link, recorded):
                return False
            continue
        if target != link_target(canonical, link):
            return False
    return True
