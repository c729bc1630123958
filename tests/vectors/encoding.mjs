// The Veche encodings of docs/PROTOCOL.md in JavaScript, shared by the vector generator
// (tests/vectors/generate.mjs) and the vector tests (tests/js/vectors.test.mjs).
import { AbiCoder, keccak256, toBeHex } from "ethers"
import { poseidon2 } from "poseidon-lite/poseidon2"

/** BN254 scalar field order: every circuit signal is below it. */
export const SNARK_FIELD =
    21888242871839275222246405745257275088548364400416034343698204186575808495617n

/** Semaphore's `hash`: keccak256 of the 32-byte big-endian value, shifted right by 8 bits. */
export function semaphoreHash(value) {
    return BigInt(keccak256(toBeHex(BigInt(value), 32))) >> 8n
}

/** The ballot message: `(district << 64) | (revision << 32) | choice`, each a uint32. */
export function ballotMessage(choice, revision, district = 0) {
    for (const [name, v] of [["choice", choice], ["revision", revision], ["district", district]]) {
        if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
            throw new RangeError(`${name} must be a uint32, got ${v}`)
        }
    }
    return (BigInt(district) << 64n) | (BigInt(revision) << 32n) | BigInt(choice)
}

/** `uint256(keccak256(abi.encode(block.chainid, address(election))))`. */
export function electionScope(chainId, address) {
    return BigInt(keccak256(AbiCoder.defaultAbiCoder().encode(["uint256", "address"], [chainId, address])))
}

/** `Poseidon(H(electionScope), secret)`: one value per voter and election. */
export function nullifier(scopeSignal, secretScalar) {
    return poseidon2([BigInt(scopeSignal), BigInt(secretScalar)])
}

/** Stringify a JSON tree with every bigint as a decimal string. */
export function toJson(value) {
    return `${JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`
}
