"""The transparency log's Merkle math against RFC 6962's published vectors and a naive model.

The vectors are Certificate Transparency's reference test data (its ``merkle_tree_test``:
eight leaves, the root of every prefix, four audit paths and four consistency proofs). A
naive recursive implementation written straight from the RFC's definitions checks every
size, every leaf and every pair of sizes up to 64, and hypothesis flips bits in proofs.
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tank.core import merkle

DATA = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
LEAVES = [merkle.leaf_hash(d) for d in DATA]
ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# (leaf index, 0-based; tree size; audit path)
INCLUSION = [
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]


# ------------------------------------------------------------------ a naive model of the RFC


def naive_root(d: list[bytes]) -> bytes:
    """MTH(D[n]) exactly as RFC 6962 §2.1 writes it (recursive, over leaf data)."""
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return hashlib.sha256(b"\x00" + d[0]).digest()
    k = 1
    while k * 2 < len(d):
        k *= 2
    return hashlib.sha256(b"\x01" + naive_root(d[:k]) + naive_root(d[k:])).digest()


def naive_path(m: int, d: list[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = 1
    while k * 2 < len(d):
        k *= 2
    if m < k:
        return [*naive_path(m, d[:k]), naive_root(d[k:])]
    return [*naive_path(m - k, d[k:]), naive_root(d[:k])]


def naive_subproof(m: int, d: list[bytes], whole: bool) -> list[bytes]:
    if m == len(d):
        return [] if whole else [naive_root(d)]
    k = 1
    while k * 2 < len(d):
        k *= 2
    if m <= k:
        return [*naive_subproof(m, d[:k], whole), naive_root(d[k:])]
    return [*naive_subproof(m - k, d[k:], False), naive_root(d[:k])]


MANY = [i.to_bytes(2, "big") * (1 + i % 5) for i in range(64)]
MANY_LEAVES = [merkle.leaf_hash(d) for d in MANY]


# ------------------------------------------------------------------ RFC 6962 vectors


def test_roots_of_every_prefix_match_the_published_vectors() -> None:
    for n in range(len(DATA) + 1):
        assert merkle.root(LEAVES[:n]).hex() == ROOTS[n], n
        assert naive_root(DATA[:n]).hex() == ROOTS[n], n


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_inclusion_proofs_match_the_published_vectors(
    index: int, size: int, path: list[str]
) -> None:
    proof = merkle.inclusion_proof(index, LEAVES[:size])
    assert [p.hex() for p in proof] == path
    root = bytes.fromhex(ROOTS[size])
    assert merkle.verify_inclusion(index, size, LEAVES[index], proof, root)
    assert not merkle.verify_inclusion(index, size, LEAVES[index], proof, bytes.fromhex(ROOTS[0]))


@pytest.mark.parametrize(("first", "second", "path"), CONSISTENCY)
def test_consistency_proofs_match_the_published_vectors(
    first: int, second: int, path: list[str]
) -> None:
    proof = merkle.consistency_proof(first, LEAVES[:second])
    assert [p.hex() for p in proof] == path
    old, new = bytes.fromhex(ROOTS[first]), bytes.fromhex(ROOTS[second])
    assert merkle.verify_consistency(first, second, proof, old, new)


# ------------------------------------------------------------------ every shape up to 64


def test_every_inclusion_proof_up_to_64_matches_the_model_and_verifies() -> None:
    for n in range(1, 65):
        leaves = MANY_LEAVES[:n]
        top = merkle.root(leaves)
        assert top == naive_root(MANY[:n])
        for m in range(n):
            proof = merkle.inclusion_proof(m, leaves)
            assert proof == naive_path(m, MANY[:n])
            assert merkle.verify_inclusion(m, n, leaves[m], proof, top)
            # The same proof for another index or another leaf fails. (Another size may
            # share the path's shape: the size is bound by the signed root, not the path.)
            assert not merkle.verify_inclusion((m + 1) % n, n, leaves[m], proof, top) or n == 1
            other = leaves[(m + 1) % n] if n > 1 else merkle.leaf_hash(b"other")
            assert not merkle.verify_inclusion(m, n, other, proof, top)


def test_every_consistency_proof_up_to_64_matches_the_model_and_verifies() -> None:
    roots = [merkle.root(MANY_LEAVES[:n]) for n in range(65)]
    for n in range(1, 65):
        for m in range(n + 1):
            proof = merkle.consistency_proof(m, MANY_LEAVES[:n])
            if 0 < m < n:
                assert proof == naive_subproof(m, MANY[:n], True)
            assert merkle.verify_consistency(m, n, proof, roots[m], roots[n]), (m, n)
            if 0 < m < n:  # another old root (a fork) never verifies
                assert not merkle.verify_consistency(m, n, proof, roots[m - 1], roots[n])
                assert not merkle.verify_consistency(m, n, proof, roots[m], roots[n - 1])


def test_trivial_and_malformed_cases_fail_closed() -> None:
    top = merkle.root(LEAVES)
    assert not merkle.verify_inclusion(8, 8, LEAVES[0], [], top)
    assert not merkle.verify_inclusion(-1, 8, LEAVES[0], [], top)
    assert not merkle.verify_inclusion(0, 8, LEAVES[0], [b"short"], top)
    assert merkle.verify_inclusion(0, 1, LEAVES[0], [], LEAVES[0])
    # Equal sizes: equal roots and an empty proof only.
    assert merkle.verify_consistency(8, 8, [], top, top)
    assert not merkle.verify_consistency(8, 8, [top], top, top)
    assert not merkle.verify_consistency(8, 8, [], top, LEAVES[0])
    # The empty tree is a prefix of everything, with the empty root only.
    assert merkle.verify_consistency(0, 8, [], merkle.EMPTY_ROOT, top)
    assert not merkle.verify_consistency(0, 8, [], top, top)
    # Shrinking is never consistent, nor is a missing proof.
    assert not merkle.verify_consistency(8, 7, [], top, top)
    assert not merkle.verify_consistency(3, 8, [], merkle.root(LEAVES[:3]), top)
    with pytest.raises(ValueError):
        merkle.inclusion_proof(3, LEAVES[:3])
    with pytest.raises(ValueError):
        merkle.consistency_proof(4, LEAVES[:3])


# ------------------------------------------------------------------ any flipped bit fails


def _flip(proof: list[bytes], which: int, bit: int) -> list[bytes]:
    out = list(proof)
    target = bytearray(out[which])
    target[bit // 8] ^= 1 << (bit % 8)
    out[which] = bytes(target)
    return out


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_flipped_bit_in_an_inclusion_proof_fails(data: st.DataObject) -> None:
    n = data.draw(st.integers(2, 64))
    m = data.draw(st.integers(0, n - 1))
    leaves = MANY_LEAVES[:n]
    proof = merkle.inclusion_proof(m, leaves)
    top = merkle.root(leaves)
    bit = data.draw(st.integers(0, 255))
    which = data.draw(st.integers(0, len(proof)))  # len(proof): flip the leaf instead
    if which == len(proof):
        leaf = bytearray(leaves[m])
        leaf[bit // 8] ^= 1 << (bit % 8)
        assert not merkle.verify_inclusion(m, n, bytes(leaf), proof, top)
    else:
        assert not merkle.verify_inclusion(m, n, leaves[m], _flip(proof, which, bit), top)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_flipped_bit_in_a_consistency_proof_fails(data: st.DataObject) -> None:
    n = data.draw(st.integers(2, 64))
    m = data.draw(st.integers(1, n - 1))
    proof = merkle.consistency_proof(m, MANY_LEAVES[:n])
    old, new = merkle.root(MANY_LEAVES[:m]), merkle.root(MANY_LEAVES[:n])
    bit = data.draw(st.integers(0, 255))
    which = data.draw(st.integers(0, len(proof) - 1))
    assert not merkle.verify_consistency(m, n, _flip(proof, which, bit), old, new)
    assert not merkle.verify_consistency(m, n, proof, _flip([old], 0, bit)[0], new)
    assert not merkle.verify_consistency(m, n, proof, old, _flip([new], 0, bit)[0])


def test_the_memoising_tree_agrees_with_the_functions_for_every_prefix() -> None:
    tree = merkle.Tree(MANY_LEAVES[:40])
    for n in range(41):
        assert tree.root(n) == merkle.root(MANY_LEAVES[:n])
        for m in range(n):
            assert tree.inclusion_proof(m, n) == merkle.inclusion_proof(m, MANY_LEAVES[:n])
        for m in range(n + 1):
            assert tree.consistency_proof(m, n) == merkle.consistency_proof(m, MANY_LEAVES[:n])
    with pytest.raises(ValueError):
        tree.root(41)
    with pytest.raises(ValueError):
        tree.inclusion_proof(5, 5)


def test_the_frontier_gives_every_prefix_root() -> None:
    frontier: list[bytes] = []
    for n, leaf in enumerate(MANY_LEAVES):
        assert merkle.frontier_root(frontier) == merkle.root(MANY_LEAVES[:n])
        frontier = merkle.frontier_append(frontier, n, leaf)
    assert merkle.frontier_root(frontier) == naive_root(MANY)
    with pytest.raises(ValueError):
        merkle.frontier_append(frontier, 3, MANY_LEAVES[0])
