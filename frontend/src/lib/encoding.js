// The encodings of docs/PROTOCOL.md in JavaScript: the page computes them, the vector generator
// (tests/vectors/generate.mjs) writes the shared vectors with them and tests/js/ checks them
// against those vectors. Their layout constants come from spec/protocol.json.
import { AbiCoder, keccak256, toBeHex } from "ethers"
import { poseidon2 } from "poseidon-lite/poseidon2"
import { SPEC } from "./protocol.js"

/** BN254 scalar field order `r`: every circuit signal is below it. */
export const SNARK_FIELD = BigInt(SPEC.encoding.snarkScalarField)

const LAYOUT = SPEC.encoding.message
const FIELD_MAX = 2 ** LAYOUT.fieldBits - 1

/** Semaphore's hash H(x): keccak256 of the 32-byte big-endian x, shifted right by 8 bits. */
export function semaphoreHash(value) {
    return BigInt(keccak256(toBeHex(BigInt(value), 32))) >> 8n
}

/** The ballot message `(district << 64) | (revision << 32) | choice`, all uint32, revision >= 1. */
export function ballotMessage(district, choice, revision) {
    const minimum = { district: 0, choice: 0, revision: SPEC.revision.first }
    for (const [name, value] of Object.entries({ district, choice, revision })) {
        if (!Number.isInteger(value) || value < minimum[name] || value > FIELD_MAX) {
            throw new RangeError(`${name} must be a uint32 of at least ${minimum[name]}, got ${value}`)
        }
    }
    return (
        (BigInt(district) << BigInt(LAYOUT.districtShift)) |
        (BigInt(revision) << BigInt(LAYOUT.revisionShift)) |
        (BigInt(choice) << BigInt(LAYOUT.choiceShift))
    )
}

/** The election scope `uint256(keccak256(abi.encode(uint256 chainId, address election)))`. */
export function electionScope(chainId, address) {
    return BigInt(keccak256(AbiCoder.defaultAbiCoder().encode(["uint256", "address"], [chainId, address])))
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

/** BN254 base field order `p`: a proof's coordinates are below it. */
export const BASE_FIELD = 21888242871839275222246405745257275088696311157297823662689037894645226208583n

/** The contract's uint256[8] back into snarkjs' proof (the inverse of `packProof`), or null if
 * a coordinate is not below `p` (the recount's parser refuses such a proof: snarkjs might read
 * it modulo `p` and accept a copy the recount does not count). */
export function unpackProof(packed) {
    const words = packed.map(BigInt)
    if (words.length !== SPEC.encoding.proofElements || words.some((w) => w < 0n || w >= BASE_FIELD)) return null
    const [a0, a1, b01, b00, b11, b10, c0, c1] = words.map(String)
    return {
        pi_a: [a0, a1, "1"],
        pi_b: [[b00, b01], [b10, b11], ["1", "0"]],
        pi_c: [c0, c1, "1"],
        protocol: "groth16",
        curve: "bn128",
    }
}

/**
 * The public signals the recount checks a record's proof against (decimal strings): for a
 * plain record `[root, nullifier, H(message), H(scope)]`, for an encrypted one `[root,
 * nullifier, ciphertext (34), H(message with choice 0), H(scope), options]`. `root` is the
 * record's district's register root (frozen for the whole voting period), `scope` the raw
 * election scope and `options` the district's number of options (encrypted records only).
 * Python's twin: veche.recount.recount._signals.
 */
export function recordSignals(record, { root, scope, options = null }) {
    const head = [BigInt(root), BigInt(record.nullifier)]
    const tail = [semaphoreHash(scope)]
    if (record.ciphertext === undefined) {
        const message = semaphoreHash(ballotMessage(record.district, record.choice, record.revision))
        return [...head, message, ...tail].map(String)
    }
    if (!Number.isInteger(options)) throw new RangeError("an encrypted record's signals need its district's options")
    const message = semaphoreHash(ballotMessage(record.district, 0, record.revision))
    return [...head, ...record.ciphertext, message, ...tail, BigInt(options)].map(String)
}
