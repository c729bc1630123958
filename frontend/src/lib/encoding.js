// The encodings of docs/PROTOCOL.md, as the voter's browser computes them.
import { keccak256, toBeHex } from "ethers"
import { poseidon2 } from "poseidon-lite/poseidon2"

/** Semaphore's hash H(x): keccak256 of the 32-byte big-endian x, shifted right by 8 bits. */
export function semaphoreHash(value) {
    return BigInt(keccak256(toBeHex(BigInt(value), 32))) >> 8n
}

const UINT32_MAX = 0xffffffff

/** The ballot message `(district << 64) | (revision << 32) | choice`, all uint32. */
export function ballotMessage(district, choice, revision) {
    for (const [name, value] of Object.entries({ district, choice, revision })) {
        if (!Number.isInteger(value) || value < 0 || value > UINT32_MAX) {
            throw new RangeError(`${name} must be a uint32, got ${value}`)
        }
    }
    return (BigInt(district) << 64n) | (BigInt(revision) << 32n) | BigInt(choice)
}

/** The voter's nullifier in an election: Poseidon(H(scope), secret). Computed locally so the
 * page never has to ask anyone "is this my ballot?". */
export function nullifierOf(scope, secretScalar) {
    return poseidon2([semaphoreHash(scope), BigInt(secretScalar)])
}

/** snarkjs' proof as the contract's uint256[8] (G2 coordinates imaginary part first). */
export function packProof(proof) {
    return [
        proof.pi_a[0],
        proof.pi_a[1],
        proof.pi_b[0][1],
        proof.pi_b[0][0],
        proof.pi_b[1][1],
        proof.pi_b[1][0],
        proof.pi_c[0],
        proof.pi_c[1],
    ].map((value) => BigInt(value).toString())
}
