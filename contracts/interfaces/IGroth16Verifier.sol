// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title A Groth16 verifier for a circuit with four public signals: one proof with snarkjs'
/// interface, or a batch with one pairing-product check.
/// @notice Veche's ballot circuit (Semaphore v4) has the public signals
/// `[merkleRoot, nullifier, H(message), H(electionScope)]`.
/// @dev Returns `false` both for an invalid proof and when it runs out of gas inside its
/// precompile calls: a caller must always check the returned value.
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

    /// @notice Checks a batch of proofs at once; true if and only if every one is valid (up to
    /// a probability of about 2^-254 that the random combination hides an invalid one).
    /// @param words For each proof, 12 words: the packed proof `[A.x, A.y, B.x.im, B.x.re,
    /// B.y.im, B.y.re, C.x, C.y]` then its four public signals. An empty batch, or a length
    /// that is not a multiple of 12, is not valid.
    /// @return True if and only if every proof is valid for its public signals.
    function verifyBatch(uint256[] calldata words) external view returns (bool);
}
