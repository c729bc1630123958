// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PoseidonT3} from "../libraries/PoseidonT3.sol";
import {RegisterTree} from "../libraries/RegisterTree.sol";
import {BallotEncoding} from "../libraries/BallotEncoding.sol";

/// @title Test-only access to the on-chain implementations of docs/PROTOCOL.md's encodings.
/// @notice Lets tests check the shared vectors in `tests/vectors/` against the exact code the
/// election runs. Never deployed outside tests.
contract VectorsHarness {
    using RegisterTree for RegisterTree.Data;

    RegisterTree.Data private _tree;

    /// @notice `Poseidon(a, b)` as the register computes it.
    function poseidon2(uint256 a, uint256 b) external pure returns (uint256) {
        return PoseidonT3.hash([a, b]);
    }

    /// @notice The LeanIMT root of `leaves`, inserted in one batch as `addMembers` does.
    /// @dev Not a view: LeanIMT works in storage. Call it with `eth_call`; the state change is
    /// discarded, so every call starts from an empty tree.
    function leanIMTRoot(uint256[] calldata leaves) external returns (uint256) {
        return _tree.insertMany(leaves);
    }

    /// @notice The LeanIMT root of `leaves`, inserted one at a time.
    /// @dev Must equal {leanIMTRoot}: the register's root does not depend on how it was batched.
    function leanIMTRootOneByOne(uint256[] calldata leaves) external returns (uint256 root) {
        for (uint256 i = 0; i < leaves.length; ++i) {
            root = _tree.insertMany(leaves[i:i + 1]);
        }
    }

    /// @notice Semaphore's `H(x)`.
    function hashToField(uint256 value) external pure returns (uint256) {
        return BallotEncoding.hashToField(value);
    }

    /// @notice The ballot message `(district << 64) | (revision << 32) | choice`.
    function packMessage(
        uint32 choice,
        uint32 revision,
        uint32 district
    ) external pure returns (uint256) {
        return BallotEncoding.packMessage(choice, revision, district);
    }

    /// @notice The election scope of `election` on chain `chainId`.
    function electionScope(uint256 chainId, address election) external pure returns (uint256) {
        return BallotEncoding.electionScope(chainId, election);
    }
}
