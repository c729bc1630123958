// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title The encodings of docs/PROTOCOL.md that the contract computes.
/// @notice Shared by {Election} and the test harness so that both use one definition.
library BallotEncoding {
    /// @notice The BN254 scalar field order `r`.
    uint256 internal constant SNARK_SCALAR_FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// @notice Semaphore's hash `H(x)`: keccak256 of the 32-byte big-endian `x`, shifted right by
    /// 8 bits so that it is below `r`.
    function hashToField(uint256 value) internal pure returns (uint256 hashed) {
        // keccak256(abi.encodePacked(value)) in the scratch space: nothing is allocated.
        assembly ("memory-safe") {
            mstore(0x00, value)
            hashed := shr(8, keccak256(0x00, 0x20))
        }
    }

    /// @notice The ballot message `(district << 64) | (revision << 32) | choice`, whose hash the
    /// circuit binds: a proof made for one district, revision or choice is worthless for another.
    /// @dev With district 0 the message is the single-register `(revision << 32) | choice`.
    function packMessage(
        uint32 choice,
        uint32 revision,
        uint32 district
    ) internal pure returns (uint256) {
        return (uint256(district) << 64) | (uint256(revision) << 32) | uint256(choice);
    }

    /// @notice The election scope `uint256(keccak256(abi.encode(chainId, election)))`.
    function electionScope(uint256 chainId, address election) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(chainId, election)));
    }
}
