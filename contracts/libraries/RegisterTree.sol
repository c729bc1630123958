// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PoseidonT3} from "./PoseidonT3.sol";
import {BallotEncoding} from "./BallotEncoding.sol";

/// @title A district's register: the LeanIMT of zk-kit's lean-imt and Semaphore's group
/// (same root, same side nodes), storing only what appending and replacing need.
/// @notice The tree hashes `Poseidon(left, right)`; a node without a right sibling is carried up
/// unchanged, so the depth is `ceil(log2(size))` and a one-leaf tree's root is its leaf. The
/// circuit, `veche.crypto.imt` and Semaphore's JavaScript group compute the same root
/// (tests/vectors/merkle.json).
/// @dev Unlike zk-kit's `InternalLeanIMT`, no leaf-to-index map is kept (a fresh storage slot,
/// about 22,100 gas a member): a leaf's position is found through its person's dedup tag (see
/// `Election`), and one identity twice in the registers still has one nullifier per election.
/// Storage per register: `size`, `depth` and, per level, the side node: the node with the
/// largest even index at that level (the left child waiting for a right sibling, or the left
/// sibling of the last node); `sideNodes[depth]` is the root. A batch is inserted as a block:
/// its internal nodes are hashed in memory, each side node is read at most once and written at
/// most once per batch.
library RegisterTree {
    /// @dev `size` must stay the first member: tests that fake a full register write it.
    struct Data {
        uint256 size;
        uint256 depth;
        mapping(uint256 level => uint256 node) sideNodes;
    }

    /// @notice The sibling path does not lead from the old leaf to the register's root.
    /// @param computed The root the path gives.
    /// @param root The register's root.
    error WrongSiblingPath(uint256 computed, uint256 root);

    /// @notice A sibling path has the wrong number of nodes for the leaf's position.
    /// @param given The number of siblings given.
    /// @param expected The number the leaf's position needs.
    error WrongSiblingCount(uint256 given, uint256 expected);

    /// @notice A sibling is not a BN254 scalar field element.
    error InvalidSibling(uint256 sibling);

    /// @notice Appends `leaves` (checked by the caller: non-zero, below the field order, at
    /// least one) and returns the new root.
    /// @dev Level by level over the batch's nodes only: at each level the new nodes are
    /// `[start, end)`; a parent's left child below `start` is the stored side node. The parents
    /// overwrite the children in place (parent `p` goes to `p - (start >> 1)`, never past a
    /// child still to be read). About one Poseidon hash per leaf, plus one per level above the
    /// batch where the path has a left sibling.
    function insertMany(Data storage self, uint256[] calldata leaves) internal returns (uint256) {
        uint256 start = self.size;
        uint256 end = start + leaves.length;
        self.size = end;
        uint256 depth = self.depth;
        if ((1 << depth) < end) {
            while ((1 << depth) < end) ++depth;
            self.depth = depth;
        }
        uint256[] memory nodes = leaves;
        for (uint256 level = 0; level < depth; ++level) {
            (start, end) = _hashLevel(self, nodes, level, start, end);
        }
        uint256 root = nodes[0];
        self.sideNodes[depth] = root;
        return root;
    }

    /// @dev Stores level `level`'s side node if the batch changed it, then overwrites `nodes`
    /// (that level's new nodes `[start, end)`) with their parents; returns the parents' range.
    function _hashLevel(
        Data storage self,
        uint256[] memory nodes,
        uint256 level,
        uint256 start,
        uint256 end
    ) private returns (uint256 parentStart, uint256 parentEnd) {
        // start < end at every level, so nothing below underflows.
        unchecked {
            // A first new node that is a right child has the stored side node as its left
            // sibling: read it before this level's side node is overwritten.
            uint256 leftSibling = start & 1 == 1 ? self.sideNodes[level] : 0;
            uint256 lastEven = (end - 1) & ~uint256(1);
            if (lastEven >= start) self.sideNodes[level] = nodes[lastEven - start];
            parentStart = start >> 1;
            parentEnd = ((end - 1) >> 1) + 1;
            uint256 count = end - start;
            uint256 p = parentStart;
            if (start & 1 == 1) {
                nodes[0] = PoseidonT3.hash([leftSibling, nodes[0]]);
                ++p;
            }
            for (; p < parentEnd; ++p) {
                uint256 left = 2 * p - start;
                uint256 parent = nodes[left];
                if (left + 1 < count) parent = PoseidonT3.hash([parent, nodes[left + 1]]);
                nodes[p - parentStart] = parent;
            }
        }
    }

    /// @notice Replaces the leaf at `index`, whose value is `oldLeaf`, by `newLeaf` (checked by
    /// the caller), given the leaf's sibling path as `veche.crypto.imt` and LeanIMT's
    /// `generateProof` list it (only the siblings that exist, bottom up). Reverts unless the
    /// path leads from `oldLeaf` to the current root; returns the new root.
    function replace(
        Data storage self,
        uint256 index,
        uint256 oldLeaf,
        uint256 newLeaf,
        uint256[] calldata siblings
    ) internal returns (uint256) {
        uint256 depth = self.depth;
        uint256 used = 0;
        // index < size <= 2^20 and level < depth <= 20: nothing below overflows.
        unchecked {
            uint256 last = self.size - 1;
            for (uint256 level = 0; level < depth; ++level) {
                uint256 position = index >> level;
                if (position == ((last >> level) & ~uint256(1))) self.sideNodes[level] = newLeaf;
                if (position & 1 == 0 && position == last >> level) continue; // carried up
                if (used == siblings.length) revert WrongSiblingCount(used, used + 1);
                (oldLeaf, newLeaf) = _parents(oldLeaf, newLeaf, siblings[used++], position);
            }
        }
        if (used != siblings.length) revert WrongSiblingCount(siblings.length, used);
        uint256 root = self.sideNodes[depth];
        if (oldLeaf != root) revert WrongSiblingPath(oldLeaf, root);
        self.sideNodes[depth] = newLeaf;
        return newLeaf;
    }

    /// @dev The parents of the old and the new node at `position` with their common sibling.
    function _parents(
        uint256 oldNode,
        uint256 newNode,
        uint256 sibling,
        uint256 position
    ) private view returns (uint256, uint256) {
        if (sibling >= BallotEncoding.SNARK_SCALAR_FIELD) revert InvalidSibling(sibling);
        if (position & 1 == 1) {
            return (PoseidonT3.hash([sibling, oldNode]), PoseidonT3.hash([sibling, newNode]));
        }
        return (PoseidonT3.hash([oldNode, sibling]), PoseidonT3.hash([newNode, sibling]));
    }

    /// @notice The root; 0 for an empty register (as zk-kit's `InternalLeanIMT._root`).
    /// @dev Named like zk-kit's function so that callers read as they did.
    function _root(Data storage self) internal view returns (uint256) {
        return self.sideNodes[self.depth];
    }
}
