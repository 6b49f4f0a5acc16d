"""A one-commit git repository made from files, served over git's smart HTTP protocol.

Claude Code fetches a plugin from a marketplace by cloning a git URL (``git clone --depth 1``);
a URL-based marketplace gives it nothing else to read. So the registry answers as a tiny,
read-only git server for each skill: one commit on ``refs/heads/main`` holding the plugin
layout of the skill's latest servable version. Everything here is pure and deterministic
(fixed author and dates): the same files always give the same commit id, on every worker.

Only what a clone needs is spoken: the version-0 ref advertisement
(``GET info/refs?service=git-upload-pack``) and one upload-pack exchange (``POST
git-upload-pack``) answering ``want`` lines (and ``deepen``, which a one-commit history
satisfies as it is) with ``NAK`` and a packfile of whole (undeltified) objects. A client
asking for protocol v2 gets v0, which git accepts. Requests are bounded
(:data:`MAX_REQUEST_BYTES`); anything else is a :class:`ValidationError`.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import cast

from tank.core.errors import ValidationError

#: Largest upload-pack request read (a clone of one ref sends a few hundred bytes).
MAX_REQUEST_BYTES = 64 * 1024
#: The one branch served.
BRANCH = "refs/heads/main"
_IDENTITY = b"Tank Registry <registry@tank.invalid> 0 +0000"
_TYPES = {"commit": 1, "tree": 2, "blob": 3}
_CAPABILITIES = f"shallow no-progress symref=HEAD:{BRANCH} agent=tank"


@dataclass(frozen=True, slots=True)
class Repository:
    """A one-commit repository: its commit id and every object (id → (type, body))."""

    commit: str
    objects: Mapping[str, tuple[str, bytes]]


def _object(kind: str, body: bytes, into: dict[str, tuple[str, bytes]]) -> bytes:
    header = f"{kind} {len(body)}\0".encode()
    digest = hashlib.sha1(header + body, usedforsecurity=False).digest()
    into[digest.hex()] = (kind, body)
    return digest


def build_repository(files: Iterable[tuple[str, bytes, bool]], message: str) -> Repository:
    """The repository holding ``files`` (``(path, content, executable)``, ``/``-separated
    relative paths) in one commit with ``message``."""
    objects: dict[str, tuple[str, bytes]] = {}
    root: dict[str, object] = {}
    for path, content, executable in files:
        *folders, leaf = path.split("/")
        node = root
        for folder in folders:
            child = node.setdefault(folder, {})
            if not isinstance(child, dict):
                raise ValidationError(f"{path}: a file is in the way", code="gitpack.path")
            node = child
        node[leaf] = (content, executable)
    tree = _tree(root, objects)
    body = b"tree %s\nauthor %s\ncommitter %s\n\n%s\n" % (
        tree.hex().encode(),
        _IDENTITY,
        _IDENTITY,
        message.encode(),
    )
    return Repository(_object("commit", body, objects).hex(), objects)


def _tree(node: Mapping[str, object], objects: dict[str, tuple[str, bytes]]) -> bytes:
    entries: list[tuple[bytes, bytes]] = []
    for name, value in node.items():
        if isinstance(value, dict):
            sha, mode, key = _tree(value, objects), b"40000", name.encode() + b"/"
        else:
            content, executable = cast("tuple[bytes, bool]", value)
            sha = _object("blob", content, objects)
            mode, key = (b"100755" if executable else b"100644"), name.encode()
        entries.append((key, mode + b" " + name.encode() + b"\0" + sha))
    # git orders entries by name, a folder's name compared as if it ended with "/".
    return _object("tree", b"".join(e for _, e in sorted(entries)), objects)


def pkt(payload: bytes) -> bytes:
    """One pkt-line."""
    return b"%04x" % (len(payload) + 4) + payload


FLUSH = b"0000"


def advertisement(repo: Repository) -> bytes:
    """The body of ``GET info/refs?service=git-upload-pack``."""
    head = f"{repo.commit} HEAD\0{_CAPABILITIES}\n".encode()
    return (
        pkt(b"# service=git-upload-pack\n")
        + FLUSH
        + pkt(head)
        + pkt(f"{repo.commit} {BRANCH}\n".encode())
        + FLUSH
    )


def parse_request(body: bytes) -> tuple[set[str], bool, bool]:
    """The ids a ``git-upload-pack`` request wants, whether it asked for a shallow clone and
    whether it said ``done`` (a stateless client first negotiates, then asks again)."""
    if len(body) > MAX_REQUEST_BYTES:
        raise _bad(f"the request is {len(body)} bytes (limit {MAX_REQUEST_BYTES})")
    wants: set[str] = set()
    shallow = done = False
    at = 0
    while at < len(body):
        try:
            size = int(body[at : at + 4], 16)
        except ValueError:
            raise _bad(f"byte {at} does not start a pkt-line") from None
        if size == 0:
            at += 4
            continue
        if size < 4 or at + size > len(body):
            raise _bad(f"the pkt-line at byte {at} has a bad length")
        words = body[at + 4 : at + size].strip().split(b" ")
        at += size
        if words[0] == b"want" and len(words) >= 2:
            wants.add(words[1].decode("ascii", "replace"))
        elif words[0] in (b"deepen", b"deepen-since", b"deepen-not"):
            shallow = True
        elif words[0] == b"done":
            done = True
    if not wants:
        raise _bad("the request wants nothing")
    return wants, shallow, done


def upload_pack(repo: Repository, body: bytes) -> bytes:
    """The answer to a ``git-upload-pack`` request: (an empty shallow list,) NAK, the pack."""
    wants, shallow, done = parse_request(body)
    if wants != {repo.commit}:
        return pkt(b"ERR upload-pack: not our ref\n")
    # A one-commit history is already as shallow as any depth: the shallow list is empty.
    # A stateless shallow client first sends its wants alone and reads only that list; it
    # has no "have" to acknowledge, so it then asks again with "done" and reads NAK + pack.
    shallow_list = FLUSH if shallow else b""
    if not done:
        return shallow_list or pkt(b"NAK\n")
    return shallow_list + pkt(b"NAK\n") + packfile(repo)


def packfile(repo: Repository) -> bytes:
    """A version-2 packfile of every object, whole and zlib-compressed, with its trailer."""
    out = bytearray(b"PACK" + struct.pack(">II", 2, len(repo.objects)))
    for sha in sorted(repo.objects):
        kind, body = repo.objects[sha]
        size = len(body)
        byte = (_TYPES[kind] << 4) | (size & 0x0F)
        size >>= 4
        while size:
            out.append(byte | 0x80)
            byte = size & 0x7F
            size >>= 7
        out.append(byte)
        out += zlib.compress(body)
    out += hashlib.sha1(bytes(out), usedforsecurity=False).digest()
    return bytes(out)


def _bad(message: str) -> ValidationError:
    return ValidationError(
        f"git-upload-pack: {message}",
        code="gitpack.bad_request",
        hint="clone with git (git clone URL)",
    )
