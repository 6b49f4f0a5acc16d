"""Merkle-log math for the transparency log: RFC 6962 / RFC 9162 hashing, roots and proofs.

The tree over leaves ``d[0..n)`` is Certificate Transparency's (RFC 9162 §2.1.1):

- a leaf hashes as ``SHA-256(0x00 || data)``, an interior node as ``SHA-256(0x01 || l || r)``
  (the prefixes keep a leaf from ever being passed off as a node: second-preimage safety);
- the root of ``n > 1`` leaves splits at ``k``, the largest power of two below ``n``: the
  left subtree is perfect, the right one holds the rest; the root of no leaves is
  ``SHA-256("")``.

Proof *generation* follows the recursive definitions of RFC 9162 §2.1.3.1 (PATH) and
§2.1.4.1 (SUBPROOF) over leaf hashes; *verification* is the iterative algorithm of §2.1.3.2
and §2.1.4.2, written as the RFC gives it, so that a verifier never has to trust the shape of
what a server sent. Everything here is pure: bytes in, bytes or booleans out.

Why our own ~150 lines rather than ``pymerkle``: the registry keeps its leaf hashes in the
database and needs roots and proofs for *any* past size computed from them, and the client
needs only the two verification functions; pymerkle brings its own storage backends and tree
object for the first and adds nothing to the second.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
_LEAF = b"\x00"
_NODE = b"\x01"


def leaf_hash(data: bytes) -> bytes:
    """The hash of a leaf holding ``data``: ``SHA-256(0x00 || data)``."""
    return hashlib.sha256(_LEAF + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an interior node: ``SHA-256(0x01 || left || right)``."""
    return hashlib.sha256(_NODE + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly below ``n`` (``n >= 2``)."""
    return 1 << ((n - 1).bit_length() - 1)


def root(leaves: Sequence[bytes]) -> bytes:
    """The Merkle Tree Hash (MTH) of ``leaves`` (leaf *hashes*, not leaf data).

    Iterative (a stack of perfect subtrees, like a binary counter), so a log of a million
    leaves needs no deep recursion: each leaf is pushed, then equal-height neighbours merge.
    """
    if not leaves:
        return EMPTY_ROOT
    stack: list[tuple[int, bytes]] = []  # (height, hash) of perfect subtrees, left to right
    for leaf in leaves:
        height, value = 0, leaf
        while stack and stack[-1][0] == height:
            _, left = stack.pop()
            height, value = height + 1, node_hash(left, value)
        stack.append((height, value))
    # The ragged right edge: fold the remaining subtrees from the right.
    value = stack[-1][1]
    for _, left in reversed(stack[:-1]):
        value = node_hash(left, value)
    return value


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """The audit path of leaf ``index`` in the tree of ``leaves`` (RFC 9162 PATH(m, D[n]))."""
    if not 0 <= index < len(leaves):
        raise ValueError(f"leaf {index} is not in a tree of {len(leaves)} leaves")
    return _path(index, leaves, 0, len(leaves))


def _path(m: int, leaves: Sequence[bytes], lo: int, hi: int) -> list[bytes]:
    n = hi - lo
    if n == 1:
        return []
    k = _split(n)
    if m < k:
        return [*_path(m, leaves, lo, lo + k), root(leaves[lo + k : hi])]
    return [*_path(m - k, leaves, lo + k, hi), root(leaves[lo : lo + k])]


def consistency_proof(first: int, leaves: Sequence[bytes]) -> list[bytes]:
    """The proof that the tree of the first ``first`` leaves is a prefix of the tree of
    ``leaves`` (RFC 9162 PROOF(m, D[n])); empty when ``first`` is 0 or ``len(leaves)``."""
    n = len(leaves)
    if not 0 <= first <= n:
        raise ValueError(f"size {first} is not within a tree of {n} leaves")
    if first in (0, n):
        return []
    return _subproof(first, leaves, 0, n, True)


def _subproof(m: int, leaves: Sequence[bytes], lo: int, hi: int, whole: bool) -> list[bytes]:
    n = hi - lo
    if m == n:
        return [] if whole else [root(leaves[lo:hi])]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, leaves, lo, lo + k, whole), root(leaves[lo + k : hi])]
    return [*_subproof(m - k, leaves, lo + k, hi, False), root(leaves[lo : lo + k])]


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], expected_root: bytes
) -> bool:
    """True when ``proof`` shows leaf hash ``leaf`` at ``index`` in the tree of ``size``
    leaves whose root is ``expected_root`` (RFC 9162 §2.1.3.2)."""
    if not 0 <= index < size or not _well_formed(proof, leaf, expected_root):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == expected_root


def verify_consistency(
    first: int, second: int, proof: Sequence[bytes], first_root: bytes, second_root: bytes
) -> bool:
    """True when ``proof`` shows the tree of ``first`` leaves (root ``first_root``) is a
    prefix of the tree of ``second`` leaves (root ``second_root``) (RFC 9162 §2.1.4.2).

    Two trivial cases the RFC leaves to the caller: equal sizes need an empty proof and equal
    roots; the empty tree (size 0, root ``SHA-256("")``) is a prefix of every tree.
    """
    if not 0 <= first <= second or not _well_formed(proof, first_root, second_root):
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof and first_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # an exact power of two: the old root is a node of the new
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0


def _well_formed(proof: Sequence[bytes], *hashes: bytes) -> bool:
    """Every hash is 32 bytes, and a proof is no longer than a tree of 2^64 leaves allows."""
    if len(proof) > 64:
        return False
    return all(isinstance(h, bytes) and len(h) == HASH_SIZE for h in (*proof, *hashes))
