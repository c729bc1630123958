// Writes the cross-language test vectors of tests/vectors/*.json (see docs/PROTOCOL.md).
//
//   node tests/vectors/generate.mjs            # all files
//
// Everything is deterministic except the Groth16 proofs of proofs.json (a proof is randomised),
// so this script is run on purpose, when an encoding or the committed keys change; tests only
// read its output. Field elements are decimal strings.
import { writeFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { Group } from "@semaphore-protocol/group"
import { Identity } from "@semaphore-protocol/identity"
import { generateProof, packGroth16Proof, unpackGroth16Proof } from "@semaphore-protocol/proof"
import { getBytes, keccak256, toUtf8Bytes } from "ethers"
import { buildBn128 } from "ffjavascript"
import { poseidon1 } from "poseidon-lite/poseidon1"
import { poseidon2 } from "poseidon-lite/poseidon2"
import { poseidon3 } from "poseidon-lite/poseidon3"
import * as snarkjs from "snarkjs"
import {
    SNARK_FIELD,
    ballotMessage,
    electionScope,
    nullifierOf,
    semaphoreHash
} from "../../frontend/src/lib/encoding.js"
import { SPEC } from "../../frontend/src/lib/protocol.js"

/** A JSON tree with every bigint as a decimal string. */
function toJson(value) {
    return `${JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`
}

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = join(HERE, "..", "..")
const ARTIFACTS = join(ROOT, SPEC.zk.developmentDir)
const DEPTH = SPEC.register.depth
/** BN254 base field order: coordinates of curve points are below it. */
const BASE_FIELD = 21888242871839275222246405745257275088696311157297823662689037894645226208583n
const R_MINUS_1 = SNARK_FIELD - 1n

/** Fixed private keys: raw bytes as Identity.export() shows them, plus one UTF-8 text key. */
export const IDENTITY_KEYS = [
    Buffer.alloc(32, 0),
    Buffer.from(Array.from({ length: 32 }, (_, i) => i + 1)),
    Buffer.alloc(32, 0xff),
    Buffer.from(getBytes(keccak256(toUtf8Bytes("veche identity vector")))),
    "veche-test-voter"
]

/** Merkle leaves are H(i + 1): field elements spread over the whole field. */
export function merkleLeaves(size) {
    return Array.from({ length: size }, (_, i) => semaphoreHash(i + 1))
}

function poseidonVectors() {
    const inputs = [
        [0n],
        [1n],
        [R_MINUS_1],
        [0n, 0n],
        [1n, 2n],
        [R_MINUS_1, R_MINUS_1],
        [semaphoreHash(1), semaphoreHash(2)],
        [0n, 0n, 0n],
        [1n, 2n, 3n],
        [R_MINUS_1, 0n, R_MINUS_1]
    ]
    const poseidon = { 1: poseidon1, 2: poseidon2, 3: poseidon3 }
    return {
        description:
            "circomlib Poseidon over BN254 (poseidon-lite poseidon1/2/3; PoseidonT2/T3/T4 in " +
            "poseidon-solidity; light-poseidon in Python). Decimal strings.",
        cases: inputs.map((xs) => ({ inputs: xs, hash: poseidon[xs.length](xs) }))
    }
}

function identityVectors() {
    return {
        description:
            "Semaphore v4 identities (@semaphore-protocol/identity 4.14.3). privateKey is " +
            "Identity.export(): base64 of the private key bytes (a text key is exported as its " +
            "UTF-8 bytes). secretScalar = deriveSecretScalar(bytes) of @zk-kit/eddsa-poseidon; " +
            "publicKey = secretScalar * Base8 on Baby Jubjub; commitment = Poseidon(x, y).",
        cases: IDENTITY_KEYS.map((key) => {
            const id = new Identity(key)
            return {
                privateKey: id.export(),
                secretScalar: id.secretScalar,
                publicKey: id.publicKey,
                commitment: id.commitment
            }
        })
    }
}

function merkleVectors() {
    return {
        description:
            "LeanIMT registers (@semaphore-protocol/group 4.14.3 / @zk-kit/lean-imt) hashing " +
            "with Poseidon(left, right); leaves are H(1), H(2), ... For each leaf: index is its " +
            "position in the register; pathIndex is the proof's index as the circuit's " +
            "merkleProofIndex takes it (LeanIMT skips levels without a sibling, so the two can " +
            "differ); siblings are as many as the proof's merkleProofLength (pad with 0 to 20).",
        cases: [1, 2, 3, 4, 5, 7, 8, 9, 33].map((size) => {
            const leaves = merkleLeaves(size)
            const group = new Group(leaves)
            return {
                leaves,
                root: group.root,
                proofs: leaves.map((_, i) => {
                    const p = group.generateMerkleProof(i)
                    return { index: i, pathIndex: p.index, leaf: p.leaf, siblings: p.siblings, root: p.root }
                })
            }
        })
    }
}

const SCOPE_CASES = [
    [31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3"],
    [31337, "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"],
    [1, "0x5FbDB2315678afecb367f032d93F642f64180aa3"],
    [11155111, "0x0000000000000000000000000000000000000001"]
]

function hashingVectors() {
    const hashInputs = [0n, 1n, 2n ** 32n + 3n, R_MINUS_1, SNARK_FIELD, 2n ** 256n - 1n]
    const messages = [
        [0, 1, 0],
        [1, 1, 0],
        [2, 3, 0],
        [4294967295, 4294967295, 0],
        [1, 2, 5],
        [3, 1, 254],
        [4294967295, 4294967295, 4294967295]
    ]
    const identities = IDENTITY_KEYS.slice(0, 3).map((key) => new Identity(key))
    const scopes = SCOPE_CASES.slice(0, 2).map(([c, a]) => electionScope(c, a))
    return {
        description:
            "H(x) = uint256(keccak256(abi.encodePacked(uint256 x))) >> 8 (Semaphore's hash). " +
            "message = (district << 64) | (revision << 32) | choice, signal = H(message). scope = " +
            "uint256(keccak256(abi.encode(uint256 chainId, address election))), signal = " +
            "H(scope). nullifier = Poseidon(scopeSignal, secretScalar(privateKey)).",
        hash: hashInputs.map((x) => ({ input: x, output: semaphoreHash(x) })),
        message: messages.map(([choice, revision, district]) => {
            const message = ballotMessage(district, choice, revision)
            return { choice, revision, district, message, signal: semaphoreHash(message) }
        }),
        scope: SCOPE_CASES.map(([chainId, address]) => {
            const scope = electionScope(chainId, address)
            return { chainId, address, scope, signal: semaphoreHash(scope) }
        }),
        nullifier: identities.flatMap((id) =>
            scopes.map((scope) => ({
                privateKey: id.export(),
                scopeSignal: semaphoreHash(scope),
                nullifier: nullifierOf(scope, id.secretScalar)
            }))
        )
    }
}

/** Challenges a registrar may give: field elements, including the largest. */
export const SIGNED_CHALLENGES = [
    0n,
    1n,
    (1700000000n << 208n) | 123456789n,
    R_MINUS_1
]

function signatureVectors() {
    const identities = IDENTITY_KEYS.map((key) => new Identity(key))
    const valid = identities.flatMap((id) =>
        SIGNED_CHALLENGES.map((challenge) => {
            const signature = id.signMessage(challenge)
            if (!Identity.verifySignature(challenge, signature, id.publicKey)) {
                throw new Error("a fresh signature does not verify")
            }
            return {
                name: "valid",
                valid: true,
                privateKey: id.export(),
                challenge,
                publicKey: id.publicKey,
                commitment: id.commitment,
                signature: { R8: signature.R8, S: signature.S }
            }
        })
    )
    const base = valid[6]
    const other = identities[0]
    /** `base` with one field changed: every verifier must refuse it. */
    const invalid = (name, changes) => {
        const c = { ...base, ...changes, name, valid: false }
        const ok = Identity.verifySignature(c.challenge, c.signature, c.publicKey)
        if (ok) throw new Error(`${name} verifies in JavaScript`)
        return c
    }
    return {
        description:
            "EdDSA-Poseidon signatures of registrars' challenges by Semaphore v4 identities " +
            "(identity.signMessage / Identity.verifySignature of @semaphore-protocol/identity " +
            "4.14.3). The registrar checks the signature and that Poseidon(publicKey) is the " +
            "commitment it registers. valid=false cases must be refused by every verifier.",
        cases: [
            ...valid,
            invalid("invalid_other_challenge", { challenge: base.challenge + 1n }),
            invalid("invalid_other_public_key", {
                publicKey: other.publicKey,
                commitment: other.commitment
            }),
            invalid("invalid_s_plus_one", {
                signature: { R8: base.signature.R8, S: base.signature.S + 1n }
            }),
            invalid("invalid_r8_swapped", {
                signature: { R8: [base.signature.R8[1], base.signature.R8[0]], S: base.signature.S }
            })
        ]
    }
}

/** A snarkjs proof JSON (projective coordinates, as fullProve writes it) from packed points. */
function snarkjsProof(packed) {
    const p = unpackGroth16Proof(packed)
    return {
        pi_a: [...p.pi_a, "1"],
        pi_b: [...p.pi_b, ["1", "0"]],
        pi_c: [...p.pi_c, "1"],
        protocol: "groth16",
        curve: "bn128"
    }
}

/** A point on the BN254 twist curve whose order is not r: valid coordinates, wrong subgroup. */
async function g2PointOutsideSubgroup() {
    const curve = await buildBn128(true)
    const G2 = curve.G2
    const F = G2.F.F
    try {
        for (let i = 1n; ; i += 1n) {
            const x = new Uint8Array(G2.F.n8)
            x.set(F.e(i))
            x.set(F.e(1n), F.n8)
            const rhs = G2.F.add(G2.F.mul(G2.F.square(x), x), G2.b)
            if (!G2.F.isSquare(rhs)) continue
            const point = new Uint8Array(G2.F.n8 * 2)
            point.set(x)
            point.set(G2.F.sqrt(rhs), G2.F.n8)
            if (!G2.isValid(point)) throw new Error("constructed G2 point is not on the curve")
            if (G2.isZero(G2.timesScalar(point, curve.r))) continue
            const [[x0, x1], [y0, y1]] = G2.toObject(point)
            return [
                [x0.toString(), x1.toString()],
                [y0.toString(), y1.toString()],
                ["1", "0"]
            ]
        }
    } finally {
        await curve.terminate()
    }
}

async function proofVectors() {
    const artifacts = { wasm: join(ARTIFACTS, SPEC.zk.wasm), zkey: join(ARTIFACTS, SPEC.zk.zkey) }
    const identities = IDENTITY_KEYS.map((key) => new Identity(key))
    const voter = identities[1]
    const group = new Group(identities.map((id) => id.commitment))
    const [chainId, address] = SCOPE_CASES[0]
    const scope = electionScope(chainId, address)

    const context = (choice, revision, overrides = {}) => ({
        privateKey: voter.export(),
        choice,
        revision,
        message: ballotMessage(0, choice, revision),
        chainId,
        address,
        scope,
        groupLeaves: group.members,
        ...overrides
    })
    const prove = async (name, description, choice, revision) => {
        const message = ballotMessage(0, choice, revision)
        const p = await generateProof(voter, group, message, scope, DEPTH, artifacts)
        const path = group.generateMerkleProof(group.indexOf(voter.commitment))
        // The exact circuit input generateProof used, for provers in other languages.
        const circuitInput = {
            secret: voter.secretScalar,
            merkleProofLength: path.siblings.length,
            merkleProofIndex: path.index,
            merkleProofSiblings: [...path.siblings, ...Array(DEPTH - path.siblings.length).fill(0n)],
            message: semaphoreHash(message),
            scope: semaphoreHash(scope)
        }
        return {
            name,
            valid: true,
            description,
            proof: snarkjsProof(p.points),
            packed: p.points,
            publicSignals: [p.merkleTreeRoot, p.nullifier, semaphoreHash(p.message), semaphoreHash(p.scope)],
            context: context(choice, revision, { circuitInput })
        }
    }
    const valid = await prove(
        "valid_member",
        "A registered voter (member 1 of 5) votes for option 2, revision 1.",
        2,
        1
    )
    const revote = await prove(
        "valid_revote",
        "The same voter re-votes for option 0 with revision 2: same nullifier, new message.",
        0,
        2
    )
    /** The valid proof with one public signal replaced: the proof must not fit it. */
    const withSignal = (name, description, index, value, ctx) => {
        const publicSignals = [...valid.publicSignals]
        publicSignals[index] = value
        return { ...valid, name, valid: false, description, publicSignals, context: ctx }
    }
    /** The valid public signals with tampered proof points. */
    const withProof = (name, description, proof) => ({
        ...valid,
        name,
        valid: false,
        description,
        proof,
        packed: packGroth16Proof(proof),
        context: context(2, 1)
    })

    const otherAddress = SCOPE_CASES[1][1]
    const otherScope = electionScope(chainId, otherAddress)
    const biggerGroup = new Group([...group.members, semaphoreHash(12345)])
    const otherVoter = identities[3]
    const vp = valid.proof
    const cases = [
        valid,
        revote,
        withSignal(
            "invalid_wrong_message",
            "valid_member's proof presented for option 1 instead of 2.",
            2,
            semaphoreHash(ballotMessage(0, 1, 1)),
            context(1, 1)
        ),
        withSignal(
            "invalid_wrong_scope",
            "valid_member's proof replayed in another election (another contract address).",
            3,
            semaphoreHash(otherScope),
            context(2, 1, { address: otherAddress, scope: otherScope })
        ),
        withSignal(
            "invalid_wrong_root",
            "valid_member's proof presented against a register with one more member.",
            0,
            biggerGroup.root,
            context(2, 1, { groupLeaves: biggerGroup.members })
        ),
        withSignal(
            "invalid_wrong_nullifier",
            "valid_member's proof presented with another member's nullifier for this election.",
            1,
            nullifierOf(scope, otherVoter.secretScalar),
            context(2, 1)
        ),
        withSignal(
            "invalid_signal_not_in_field",
            "valid_member's nullifier plus r: equal modulo r, so a verifier that reduces public " +
                "signals would accept it, and a contract keyed by uint256 would see a new voter.",
            1,
            BigInt(valid.publicSignals[1]) + SNARK_FIELD,
            context(2, 1)
        ),
        withProof("invalid_swapped_a_c", "valid_member's proof with pi_a and pi_c swapped.", {
            ...vp,
            pi_a: vp.pi_c,
            pi_c: vp.pi_a
        }),
        withProof(
            "invalid_a_not_on_curve",
            "valid_member's proof with pi_a.y + 1: coordinates in the field, point not on the curve.",
            { ...vp, pi_a: [vp.pi_a[0], ((BigInt(vp.pi_a[1]) + 1n) % BASE_FIELD).toString(), "1"] }
        ),
        withProof(
            "invalid_b_not_in_subgroup",
            "valid_member's proof with pi_b replaced by a point on the twist curve outside the " +
                "order-r subgroup (the EVM pairing precompile refuses it).",
            { ...vp, pi_b: await g2PointOutsideSubgroup() }
        )
    ]

    const vkeyPath = join(ARTIFACTS, SPEC.zk.verificationKey)
    const vkey = JSON.parse((await import("node:fs")).readFileSync(vkeyPath, "utf8"))
    for (const c of cases) {
        const ok = await snarkjs.groth16.verify(vkey, c.publicSignals.map(String), c.proof)
        if (ok !== c.valid) throw new Error(`${c.name}: snarkjs says ${ok}, expected ${c.valid}`)
    }
    return {
        description:
            "Groth16 ballots made with @semaphore-protocol/proof generateProof(identity, group, " +
            "message, electionScope, 20, {wasm, zkey}) and the committed DEV keys. publicSignals " +
            "= [merkleRoot, nullifier, H(message), H(scope)]; packed = uint256[8] as " +
            "packGroth16Proof. context holds the ballot the signals claim (valid cases also the " +
            "exact circuitInput, secret included). valid=false cases " +
            "must be rejected by every verifier. Randomised: regenerate only on purpose.",
        verificationKey: relative(ROOT, vkeyPath),
        cases
    }
}

// `node generate.mjs [name.json ...]` rewrites only the files named (all of them by default):
// proofs are random, so regenerate proofs.json only on purpose.
async function main() {
    const makers = {
        "poseidon.json": poseidonVectors,
        "identity.json": identityVectors,
        "merkle.json": merkleVectors,
        "hashing.json": hashingVectors,
        "proofs.json": proofVectors,
        "signatures.json": signatureVectors
    }
    const wanted = process.argv.slice(2)
    const files = {}
    for (const [name, make] of Object.entries(makers)) {
        if (wanted.length === 0 || wanted.includes(name)) files[name] = await make()
    }
    for (const [name, data] of Object.entries(files)) {
        writeFileSync(join(HERE, name), toJson(data))
        console.log(`wrote tests/vectors/${name}`)
    }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    await main()
    process.exit(0)
}
