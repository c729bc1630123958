"""The register: a Lean Incremental Merkle Tree of identity commitments.

Anyone must be able to rebuild a register from the contract's `MemberAdded` events and obtain
the root the contract holds, and a voter must get the Merkle proof the Semaphore circuit takes.
This is the LeanIMT of `@zk-kit/lean-imt` (JavaScript), `@semaphore-protocol/group` and
`InternalLeanIMT` (Solidity), hashing with `Poseidon(left, right)`:

- a node without a right sibling is carried up unchanged (no hash, no zero padding), so the
  root of a one-leaf tree is the leaf and the depth is `ceil(log2(size))`;
- a proof lists only the siblings that exist, and its `index` has one bit per listed sibling
  (1 where the path node is a right child), as `LeanIMT.generateProof`.

Leaves are refused as the contract (`RegisterTree`) refuses them: zero and values `>= r`. A
leaf may repeat (the contract keeps no leaf index: one identity has one nullifier per election,
so it votes once however many leaves hold it); `index_of` gives its first position.

A leaf can be replaced (`replace`), as the contract's `replaceMember` does for a lost key.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from veche.crypto.errors import (
    LeafCannotBeZero,
    LeafDoesNotExist,
    LeafGreaterThanSnarkScalarField,
    LeafIndexOutOfRange,
    RegisterFull,
)
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.crypto.poseidon import poseidon2_unchecked
from veche.protocol.spec import MAX_MEMBERS, TREE_DEPTH

MAX_DEPTH = TREE_DEPTH
"""Deepest tree the Veche circuit (Semaphore depth 20) admits."""

MAX_LEAVES = MAX_MEMBERS
"""1,048,576 members per register."""


@dataclass(frozen=True, slots=True)
class MerkleProof:
    """A membership proof in the form of `LeanIMT.generateProof` and the Semaphore circuit.

    `index` is the circuit's `merkleProofIndex`: bit `i` tells whether the path node at the
    `i`-th listed sibling is a right child. It is not the leaf's position when levels without a
    right sibling were skipped.
    """

    leaf: int
    index: int
    siblings: tuple[int, ...]
    root: int

    @property
    def length(self) -> int:
        """The circuit's `merkleProofLength`: the number of real siblings."""
        return len(self.siblings)

    def padded_siblings(self, depth: int = MAX_DEPTH) -> list[int]:
        """The circuit's `merkleProofSiblings`: the siblings followed by zeros up to `depth`.

        The circuit ignores the padding (it stops hashing at `merkleProofLength`).
        """
        if self.length > depth:
            raise RegisterFull(2**self.length, 2**depth)
        return [*self.siblings, *([0] * (depth - self.length))]


def verify_proof(proof: MerkleProof) -> bool:
    """True if hashing `proof.leaf` up along the siblings gives `proof.root`.

    A proof with a value outside the field or an index with bits beyond its siblings is
    invalid (the circuit could not take it), never an exception.
    """
    values = (proof.leaf, proof.root, *proof.siblings)
    if any(not 0 <= value < SNARK_SCALAR_FIELD for value in values):
        return False
    if not 0 <= proof.index < 2 ** len(proof.siblings):
        return False
    node = proof.leaf
    for level, sibling in enumerate(proof.siblings):
        if (proof.index >> level) & 1:
            node = poseidon2_unchecked(sibling, node)
        else:
            node = poseidon2_unchecked(node, sibling)
    return node == proof.root


def check_leaves(leaves: Sequence[int]) -> None:
    """Raises as `insert_many` would for a zero or out-of-field leaf, or too many."""
    if len(leaves) > MAX_LEAVES:
        raise RegisterFull(len(leaves), MAX_LEAVES)
    for leaf in leaves:
        if (
            not isinstance(leaf, int)
            or isinstance(leaf, bool)
            or not 0 <= leaf < SNARK_SCALAR_FIELD
        ):
            raise LeafGreaterThanSnarkScalarField(leaf)
        if leaf == 0:
            raise LeafCannotBeZero()


def _depth_for(size: int) -> int:
    """`ceil(log2(size))`, and 0 for an empty or one-leaf tree."""
    return (size - 1).bit_length() if size > 1 else 0


class LeanIMT:
    """A LeanIMT with every node kept in memory (about 200 MB for a full register of 2**20)."""

    def __init__(self, leaves: Iterable[int] = ()) -> None:
        self._levels: list[list[int]] = [[]]
        self._positions: dict[int, int] = {}
        leaves = list(leaves)
        if leaves:
            self.insert_many(leaves)

    @property
    def size(self) -> int:
        """The number of leaves (members)."""
        return len(self._levels[0])

    @property
    def depth(self) -> int:
        """`ceil(log2(size))`: the number of levels above the leaves."""
        return len(self._levels) - 1

    @property
    def root(self) -> int:
        """The root; 0 for an empty tree, as `InternalLeanIMT._root()`."""
        return self._levels[-1][0] if self.size else 0

    @property
    def leaves(self) -> list[int]:
        """A copy of the leaves in insertion order."""
        return list(self._levels[0])

    def leaf(self, index: int) -> int:
        """The leaf at position `index`."""
        if not isinstance(index, int) or not 0 <= index < self.size:
            raise LeafIndexOutOfRange(index, self.size)
        return self._levels[0][index]

    def has(self, leaf: int) -> bool:
        """True if `leaf` is a member."""
        return leaf in self._positions

    def index_of(self, leaf: int) -> int:
        """The (first) position of `leaf`; raises `LeafDoesNotExist` if it is not a member."""
        try:
            return self._positions[leaf]
        except (KeyError, TypeError):
            raise LeafDoesNotExist(leaf) from None

    @staticmethod
    def _check_new_leaf(leaf: int) -> None:
        if not isinstance(leaf, int) or isinstance(leaf, bool) or leaf < 0:
            raise LeafGreaterThanSnarkScalarField(leaf)
        if leaf >= SNARK_SCALAR_FIELD:
            raise LeafGreaterThanSnarkScalarField(leaf)
        if leaf == 0:
            raise LeafCannotBeZero()

    def _grow_levels(self, new_size: int) -> None:
        if new_size > MAX_LEAVES:
            raise RegisterFull(new_size, MAX_LEAVES)
        while self.depth < _depth_for(new_size):
            self._levels.append([])

    def insert(self, leaf: int) -> None:
        """Add one leaf, rehashing its path to the root (`depth` hashes at most)."""
        self._check_new_leaf(leaf)
        index = self.size
        self._grow_levels(index + 1)
        self._positions.setdefault(leaf, index)
        node = leaf
        for level in range(self.depth):
            nodes = self._levels[level]
            if index < len(nodes):
                nodes[index] = node
            else:
                nodes.append(node)
            if index & 1:
                node = poseidon2_unchecked(nodes[index - 1], node)
            index >>= 1
        self._levels[self.depth] = [node]

    def insert_many(self, leaves: Sequence[int]) -> None:
        """Add many leaves at once, level by level: each inner node is hashed once.

        All leaves are checked before any is added, so a refused batch leaves the tree as it
        was. Gives the same tree as inserting them one by one.
        """
        for leaf in leaves:
            self._check_new_leaf(leaf)
        if not leaves:
            return
        self._grow_levels(self.size + len(leaves))
        start = self.size >> 1
        for offset, leaf in enumerate(leaves, self.size):
            self._positions.setdefault(leaf, offset)
        self._levels[0].extend(leaves)
        hash2 = poseidon2_unchecked
        for level in range(self.depth):
            children = self._levels[level]
            parents = self._levels[level + 1]
            del parents[start:]
            count = len(children)
            for left in range(2 * start, count - 1, 2):
                parents.append(hash2(children[left], children[left + 1]))
            if count & 1:
                parents.append(children[-1])
            start >>= 1

    def prefix_root(self, size: int) -> int:
        """The root the register had when it held only its first `size` leaves, from the nodes
        at hand (at most one hash per level): how a recount checks the root logged after every
        batch of members without rebuilding the tree batch by batch.

        A node whose leaves all lie in the prefix is the same in both trees, so only the right
        edge of the prefix is recomputed.
        """
        if not isinstance(size, int) or not 0 <= size <= self.size:
            raise LeafIndexOutOfRange(size, self.size)
        if size == 0:
            return 0
        index = size - 1
        node = self._levels[0][index]
        for level in range(_depth_for(size)):
            if index & 1:
                node = poseidon2_unchecked(self._levels[level][index - 1], node)
            index >>= 1
        return node

    @classmethod
    def from_levels(cls, levels: list[list[int]]) -> "LeanIMT":
        """A tree from its levels (leaves first), as `veche.crypto.imt_parallel` builds them;
        the leaves must already have passed `check_leaves`."""
        tree = cls()
        tree._levels = levels if levels and levels[0] else [[]]
        positions: dict[int, int] = {}
        for i, leaf in enumerate(tree._levels[0]):
            positions.setdefault(leaf, i)
        tree._positions = positions
        return tree

    def replace(self, index: int, leaf: int) -> None:
        """Puts `leaf` at position `index` in place of the leaf there, rehashing its path (as
        the contract's `replaceMember` does for a person who lost their key)."""
        if not isinstance(index, int) or not 0 <= index < self.size:
            raise LeafIndexOutOfRange(index, self.size)
        self._check_new_leaf(leaf)
        old = self._levels[0][index]
        node = leaf
        position = index
        for level in range(self.depth):
            nodes = self._levels[level]
            nodes[position] = node
            if position & 1:
                node = poseidon2_unchecked(nodes[position - 1], node)
            elif position + 1 < len(nodes):
                node = poseidon2_unchecked(node, nodes[position + 1])
            position >>= 1
        self._levels[self.depth][0] = node
        if self._positions.get(old) == index:
            del self._positions[old]
            if old in self._levels[0]:  # the same commitment held by another leaf
                self._positions[old] = self._levels[0].index(old)
        if self._positions.get(leaf, index) >= index:
            self._positions[leaf] = index

    def proof(self, index: int) -> MerkleProof:
        """The membership proof of the leaf at position `index` (`generateProof`)."""
        if not isinstance(index, int) or not 0 <= index < self.size:
            raise LeafIndexOutOfRange(index, self.size)
        leaf = self._levels[0][index]
        siblings: list[int] = []
        path = 0
        for level in range(self.depth):
            nodes = self._levels[level]
            is_right = index & 1
            sibling_index = index - 1 if is_right else index + 1
            if sibling_index < len(nodes):
                path |= is_right << len(siblings)
                siblings.append(nodes[sibling_index])
            index >>= 1
        return MerkleProof(leaf=leaf, index=path, siblings=tuple(siblings), root=self.root)

    def proof_of(self, leaf: int) -> MerkleProof:
        """The membership proof of `leaf`; raises `LeafDoesNotExist` if it is not a member."""
        return self.proof(self.index_of(leaf))
