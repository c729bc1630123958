// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title The verifier that snarkjs generates for a Groth16 circuit with four public signals.
/// @notice Veche's ballot circuit (Semaphore v4) has the public signals
/// `[merkleRoot, nullifier, H(message), H(electionScope)]`.
/// @dev The generated contract returns `false` both for an invalid proof and when it runs out of
/// gas inside its precompile calls: a caller must always check the returned value.
interface IGroth16Verifier {
    /// @notice Checks a Groth16 proof against its public signals.
    /// @param _pA The proof's point A (G1).
    /// @param _pB The proof's point B (G2), each coordinate given imaginary part first.
    /// @param _pC The proof's point C (G1).
    /// @param _pubSignals The public signals in the circuit's order.
    /// @return True if and only if the proof is valid for these public signals.
    function verifyProof(
        uint256[2] calldata _pA,
        uint256[2][2] calldata _pB,
        uint256[2] calldata _pC,
        uint256[4] calldata _pubSignals
    ) external view returns (bool);
}
