"""The register (LeanIMT) has the roots and Merkle proofs of `@semaphore-protocol/group`, the
Solidity `InternalLeanIMT` and the Semaphore circuit, and refuses what the contract refuses."""

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veche.crypto import imt
from veche.crypto.errors import (
    LeafCannotBeZero,
    LeafDoesNotExist,
    LeafGreaterThanSnarkScalarField,
    LeafIndexOutOfRange,
    RegisterFull,
)
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.crypto.imt import MAX_DEPTH, LeanIMT, MerkleProof, verify_proof

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
CASES: list[dict[str, Any]] = json.loads((VECTORS / "merkle.json").read_text())["cases"]
CASE_IDS = [f"{len(c['leaves'])}-leaves" for c in CASES]

leaf_lists = st.lists(
    st.integers(min_value=1, max_value=SNARK_SCALAR_FIELD - 1), min_size=1, max_size=40, unique=True
)


def _leaves(case: dict[str, Any]) -> list[int]:
    return [int(leaf) for leaf in case["leaves"]]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_root_matches_semaphore_group(case: dict[str, Any]) -> None:
    tree = LeanIMT(_leaves(case))
    assert tree.root == int(case["root"])
    assert tree.size == len(case["leaves"])


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_every_proof_matches_semaphore_group(case: dict[str, Any]) -> None:
    tree = LeanIMT(_leaves(case))
    for expected in case["proofs"]:
        proof = tree.proof(expected["index"])
        assert proof == MerkleProof(
            leaf=int(expected["leaf"]),
            index=expected["pathIndex"],
            siblings=tuple(int(s) for s in expected["siblings"]),
            root=int(expected["root"]),
        )
        assert verify_proof(proof)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_inserting_one_by_one_gives_the_same_root(case: dict[str, Any]) -> None:
    tree = LeanIMT()
    for leaf in _leaves(case):
        tree.insert(leaf)
    assert tree.root == int(case["root"])


def test_one_leaf_tree_has_the_leaf_as_root_and_an_empty_proof() -> None:
    tree = LeanIMT([7])
    assert (tree.root, tree.depth) == (7, 0)
    assert tree.proof(0) == MerkleProof(leaf=7, index=0, siblings=(), root=7)


def test_empty_tree_has_root_zero_like_the_contract() -> None:
    assert LeanIMT().root == 0
    assert LeanIMT().size == 0


def test_depth_grows_with_the_number_of_leaves() -> None:
    assert [LeanIMT(range(1, n + 1)).depth for n in (1, 2, 3, 4, 5, 8, 9)] == [0, 1, 2, 2, 3, 3, 4]


@settings(max_examples=30, deadline=None)
@given(leaf_lists, st.data())
def test_insert_many_in_any_batches_equals_inserting_one_by_one(
    leaves: list[int], data: st.DataObject
) -> None:
    one_by_one = LeanIMT()
    for leaf in leaves:
        one_by_one.insert(leaf)
    cut = data.draw(st.integers(min_value=0, max_value=len(leaves)))
    batched = LeanIMT(leaves[:cut])
    batched.insert_many(leaves[cut:])
    assert batched.root == one_by_one.root
    assert batched.depth == one_by_one.depth


@settings(max_examples=20, deadline=None)
@given(leaf_lists)
def test_proof_of_every_leaf_verifies_and_fits_the_circuit(leaves: list[int]) -> None:
    tree = LeanIMT(leaves)
    for index, leaf in enumerate(leaves):
        proof = tree.proof_of(leaf)
        assert tree.index_of(leaf) == index
        assert proof.leaf == leaf
        assert verify_proof(proof)
        assert 0 <= proof.index < 2**proof.length
        padded = proof.padded_siblings()
        assert len(padded) == MAX_DEPTH
        assert padded[: proof.length] == list(proof.siblings)
        assert not any(padded[proof.length :])


def test_tampered_proof_does_not_verify() -> None:
    tree = LeanIMT(range(1, 10))
    proof = tree.proof(4)
    assert verify_proof(proof)
    assert not verify_proof(MerkleProof(proof.leaf + 1, proof.index, proof.siblings, proof.root))
    assert not verify_proof(MerkleProof(proof.leaf, proof.index ^ 1, proof.siblings, proof.root))
    assert not verify_proof(MerkleProof(proof.leaf, proof.index, proof.siblings, proof.root + 1))
    bad_sibling = (proof.siblings[0] + SNARK_SCALAR_FIELD, *proof.siblings[1:])
    assert not verify_proof(MerkleProof(proof.leaf, proof.index, bad_sibling, proof.root))
    assert not verify_proof(MerkleProof(proof.leaf, 2**proof.length, proof.siblings, proof.root))


def test_zero_leaf_is_refused() -> None:
    with pytest.raises(LeafCannotBeZero):
        LeanIMT().insert(0)


@pytest.mark.parametrize("bad", [SNARK_SCALAR_FIELD, 2**256, -1])
def test_leaf_outside_the_field_is_refused(bad: int) -> None:
    with pytest.raises(LeafGreaterThanSnarkScalarField):
        LeanIMT().insert(bad)


def test_a_repeated_leaf_is_accepted_as_the_contract_accepts_it() -> None:
    """The contract keeps no leaf index (one identity has one nullifier per election, so a
    commitment held by two leaves still votes once): the rebuilt register must take it too."""
    tree = LeanIMT([5, 6, 7])
    tree.insert(6)
    tree.insert_many([8, 8])
    assert tree.leaves == [5, 6, 7, 6, 8, 8]
    assert tree.index_of(6) == 1 and tree.index_of(8) == 4
    assert tree.root == LeanIMT([5, 6, 7, 6, 8, 8]).root
    assert verify_proof(tree.proof(3))


def test_refused_batch_leaves_the_register_unchanged() -> None:
    tree = LeanIMT([5, 6, 7])
    root = tree.root
    with pytest.raises(LeafCannotBeZero):
        tree.insert_many([8, 9, 0])
    with pytest.raises(LeafCannotBeZero):
        tree.insert_many([10, 0])
    assert (tree.root, tree.size, tree.has(8), tree.has(10)) == (root, 3, False, False)


def test_unknown_leaf_and_index_are_reported() -> None:
    tree = LeanIMT([5, 6, 7])
    with pytest.raises(LeafDoesNotExist):
        tree.index_of(8)
    with pytest.raises(LeafIndexOutOfRange):
        tree.proof(3)


def test_register_refuses_members_beyond_the_circuit_depth(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert imt.MAX_LEAVES == 2**20
    monkeypatch.setattr(imt, "MAX_LEAVES", 4)
    tree = LeanIMT([1, 2, 3, 4])
    with pytest.raises(RegisterFull):
        tree.insert(5)
    with pytest.raises(RegisterFull):
        LeanIMT(range(1, 6))
    assert tree.size == 4


@pytest.mark.slow
def test_full_register_of_2_pow_20_members_is_built_and_refuses_one_more() -> None:
    tree = LeanIMT(range(1, imt.MAX_LEAVES + 1))
    assert tree.depth == MAX_DEPTH
    assert verify_proof(tree.proof(imt.MAX_LEAVES - 1))
    with pytest.raises(RegisterFull):
        tree.insert(imt.MAX_LEAVES + 1)
    assert tree.size == imt.MAX_LEAVES


@pytest.mark.parametrize("size", [1, 2, 3, 7, 8, 9, 16, 17, 33, 100])
def test_parallel_build_gives_the_same_tree_node_for_node(monkeypatch, size: int) -> None:
    from veche.crypto import imt_parallel

    monkeypatch.setattr(imt_parallel, "BLOCK_LEAVES", 8)
    monkeypatch.setattr(imt_parallel, "POOLED_FROM", 4)
    leaves = list(range(1000, 1000 + size))
    # Beside registers built here (below POOLED_FROM) and an empty one.
    small, empty = [7, 8, 9], []
    built, *others = imt_parallel.build_registers([leaves, small, empty, leaves[:5]], workers=2)
    reference = LeanIMT(leaves)
    assert built._levels == reference._levels
    assert built.root == reference.root and built.proof(size - 1) == reference.proof(size - 1)
    assert [t._levels for t in others] == [LeanIMT(r)._levels for r in (small, empty, leaves[:5])]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_prefix_root_is_the_root_the_register_had_then(case: dict[str, Any]) -> None:
    leaves = _leaves(case)
    tree = LeanIMT(leaves)
    assert [tree.prefix_root(k) for k in range(len(leaves) + 1)] == [
        LeanIMT(leaves[:k]).root for k in range(len(leaves) + 1)
    ]


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13, 100])
def test_a_replaced_leaf_gives_the_root_of_the_register_built_with_it(size: int) -> None:
    """`replace` (a lost key's new commitment) rehashes only the leaf's path, and gives the
    tree the contract's `replaceMember` leaves: the one built with the new leaf in place."""
    leaves = list(range(1, size + 1))
    for index in {0, size // 2, size - 1}:
        tree = LeanIMT(leaves)
        tree.replace(index, 10_000 + index)
        expected = LeanIMT([10_000 + index if i == index else v for i, v in enumerate(leaves)])
        assert (tree.root, tree.leaves) == (expected.root, expected.leaves)
        assert tree.index_of(10_000 + index) == index and not tree.has(leaves[index])
        assert all(verify_proof(tree.proof(i)) for i in range(size))
