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

    Iterative, through the frontier (below), so a log of a million leaves needs no deep
    recursion.
    """
    frontier: list[bytes] = []
    for size, leaf in enumerate(leaves):
        frontier = frontier_append(frontier, size, leaf)
    return frontier_root(frontier)


def frontier_append(frontier: Sequence[bytes], size: int, leaf: bytes) -> list[bytes]:
    """The frontier of a tree of ``size + 1`` leaves, from that of ``size`` leaves.

    The *frontier* of a tree of ``n`` leaves is the roots of its perfect subtrees, left to
    right: one per set bit of ``n``, largest first (like a binary counter). Appending a leaf
    merges equal-height neighbours, so the log's root after each append costs O(log n)
    hashes and the registry keeps only these few hashes between appends.
    """
    if len(frontier) != size.bit_count():
        raise ValueError(f"a frontier of {len(frontier)} hashes cannot describe {size} leaves")
    out = [*frontier, leaf]
    while size & 1:
        right = out.pop()
        out[-1] = node_hash(out[-1], right)
        size >>= 1
    return out


def frontier_root(frontier: Sequence[bytes]) -> bytes:
    """The root of the tree a frontier describes: its subtrees folded from the right."""
    if not frontier:
        return EMPTY_ROOT
    value = frontier[-1]
    for left in reversed(frontier[:-1]):
        value = node_hash(left, value)
    return value


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """The audit path of leaf ``index`` in the tree of ``leaves`` (RFC 9162 PATH(m, D[n]))."""
    return Tree(leaves).inclusion_proof(index)


def consistency_proof(first: int, leaves: Sequence[bytes]) -> list[bytes]:
    """The proof that the tree of the first ``first`` leaves is a prefix of the tree of
    ``leaves`` (RFC 9162 PROOF(m, D[n])); empty when ``first`` is 0 or ``len(leaves)``."""
    return Tree(leaves).consistency_proof(first)


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


class Tree:
    """Roots and proofs for any prefix of ``leaves``, each subtree hashed at most once.

    The registry answers many proofs against one head in a request (an install of 200
    skills): memoising subtree roots makes that about ``2n`` hashes in all, not ``2n`` each.
    """

    def __init__(self, leaves: Sequence[bytes]) -> None:
        self.leaves = leaves
        self._memo: dict[tuple[int, int], bytes] = {}

    def _root(self, lo: int, hi: int) -> bytes:
        if hi - lo == 1:
            return self.leaves[lo]
        found = self._memo.get((lo, hi))
        if found is None:
            k = _split(hi - lo)
            found = node_hash(self._root(lo, lo + k), self._root(lo + k, hi))
            self._memo[(lo, hi)] = found
        return found

    def root(self, size: int | None = None) -> bytes:
        """The root of the first ``size`` leaves (default: all)."""
        n = len(self.leaves) if size is None else size
        if not 0 <= n <= len(self.leaves):
            raise ValueError(f"size {n} is not within a tree of {len(self.leaves)} leaves")
        return EMPTY_ROOT if n == 0 else self._root(0, n)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[size]): the recursive definition of RFC 9162 §2.1.3.1."""
        n = len(self.leaves) if size is None else size
        if not 0 <= index < n <= len(self.leaves):
            raise ValueError(f"leaf {index} is not in a tree of {n} leaves")
        return self._path(index, 0, n)

    def _path(self, m: int, lo: int, hi: int) -> list[bytes]:
        n = hi - lo
        if n == 1:
            return []
        k = _split(n)
        if m < k:
            return [*self._path(m, lo, lo + k), self._root(lo + k, hi)]
        return [*self._path(m - k, lo + k, hi), self._root(lo, lo + k)]

    def consistency_proof(self, first: int, second: int | None = None) -> list[bytes]:
        """PROOF(first, D[second]): SUBPROOF of RFC 9162 §2.1.4.1 (empty for 0 or equal)."""
        n = len(self.leaves) if second is None else second
        if not 0 <= first <= n <= len(self.leaves):
            raise ValueError(f"sizes {first} and {n} do not fit a tree of {len(self.leaves)}")
        if first in (0, n):
            return []
        return self._subproof(first, 0, n, True)

    def _subproof(self, m: int, lo: int, hi: int, whole: bool) -> list[bytes]:
        n = hi - lo
        if m == n:
            return [] if whole else [self._root(lo, hi)]
        k = _split(n)
        if m <= k:
            return [*self._subproof(m, lo, lo + k, whole), self._root(lo + k, hi)]
        return [*self._subproof(m - k, lo + k, hi, False), self._root(lo, lo + k)]
