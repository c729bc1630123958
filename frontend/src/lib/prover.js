// Groth16 proofs of the ballot circuits (Semaphore v4 at depth 20, and the encrypted ballot
// circuit that adds an ElGamal encryption of the choice), made on the voter's device in a Web
// Worker (prover-worker.js) with snarkjs and the circuit files of lib/prover-files.js. The
// secret, and an encrypted ballot's choice and randomness, go into the worker and nowhere else;
// the proof is checked there before anyone sees it.
import { PageError } from "./errors.js"
import { ballotMessage, packProof, semaphoreHash } from "./encoding.js"
import { encryptionSignals, optionKeys } from "./ballot-encryption.js"
import { proverFiles, requirePinnedElectionKey, requirePinnedKey } from "./prover-files.js"
import { CIRCUIT_FILES, ENCRYPTED_OPTIONS, GROUP_ORDER, TREE_DEPTH } from "./protocol.js"

let worker = null
const loaded = new Map()
let nextId = 1
const pending = new Map()

/** The worker, started once for every circuit. */
function startWorker() {
    if (worker === null) {
        worker = new Worker("prover-worker.js")
        worker.onmessage = ({ data }) => {
            const request = pending.get(data.id)
            if (request === undefined) return
            pending.delete(data.id)
            if (data.error !== undefined) request.reject(new PageError("error.proofFailed", { detail: data.error }))
            else request.resolve(data)
        }
        worker.onerror = (event) => {
            const failure = new PageError("error.proofFailed", { detail: event.message ?? "worker" })
            for (const request of pending.values()) request.reject(failure)
            pending.clear()
            worker = null
            loaded.clear()
        }
    }
    return worker
}

/** The worker, holding the files of `circuit` (waits for them to download, if they are not
 * here yet). Starting it early (`warmProver`) saves its start-up on the voter's click. */
function proverWorker(circuit = "plain") {
    if (!loaded.has(circuit)) {
        const ready = proverFiles(circuit).then(async (files) => {
            const started = startWorker()
            await call(started, { files, circuit })
            return started
        })
        ready.catch(() => loaded.delete(circuit))
        loaded.set(circuit, ready)
    }
    return loaded.get(circuit)
}

function call(target, message) {
    const id = nextId++
    return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject })
        target.postMessage({ ...message, id })
    })
}

/** Resolves when the prover of `circuit` is ready: its files here and checked, its worker
 * started. */
export async function proverReady(circuit = "plain") {
    await proverWorker(circuit)
}

/** Downloads the prover's files of `circuit` and starts the worker in the background. */
export function warmProver(circuit = "plain") {
    proverWorker(circuit).then(() => {
        document.body.dataset.prover = "ready"
    }, () => {
        // Reported when the voter casts a ballot, with the reason; nothing to show before.
    })
}

/** The Semaphore part of a ballot's circuit input: the voter's secret and Merkle path, the
 * message and the scope. */
function membershipInput({ identity, group, scope, district, choice, revision }) {
    const index = group.indexOf(identity.commitment)
    const path = group.generateMerkleProof(index)
    const siblings = [...path.siblings]
    while (siblings.length < TREE_DEPTH) siblings.push(0n)
    return {
        secret: identity.secretScalar,
        merkleProofLength: path.siblings.length,
        merkleProofIndex: path.index,
        merkleProofSiblings: siblings,
        scope: semaphoreHash(scope),
        message: semaphoreHash(ballotMessage(district, choice, revision)),
    }
}

async function prove(circuit, input) {
    const started = await proverWorker(circuit)
    const answer = await call(started, { input, circuit })
    if (!answer.valid) throw new PageError("error.proofFailed", { detail: "the proof did not verify on this device" })
    return {
        proof: packProof(answer.proof),
        publicSignals: answer.publicSignals.map(String),
        seconds: answer.seconds,
    }
}

/**
 * Proves "my commitment is in this register; my nullifier in this election is N; my message is
 * (district, choice, revision)" and checks the proof locally before anyone else sees it, with
 * the verification key the election's definition pins (`pinnedKey`, its sha256) if it pins one.
 * @returns {Promise<{proof: string[], publicSignals: string[], seconds: number}>}
 */
export async function proveBallot({ identity, group, scope, district, choice, revision, pinnedKey }) {
    await requirePinnedKey(pinnedKey, await proverFiles())
    return prove("plain", membershipInput({ identity, group, scope, district, choice, revision }))
}

/**
 * True if `proof` (snarkjs' form) proves the circuit of `circuit` for `publicSignals`, checked
 * in the worker with the verification key this page proves with, after checking that key is
 * the one the election's definition pins (`pinnedKey`): a recorded ballot is judged by the key
 * the recount must use.
 */
export async function verifyProof({ circuit = "plain", publicSignals, proof, pinnedKey }) {
    await requirePinnedKey(pinnedKey, await proverFiles(circuit), circuit)
    const started = await proverWorker(circuit)
    const answer = await call(started, { circuit, verify: { publicSignals, proof } })
    return answer.valid === true
}

/**
 * A uniformly random ElGamal randomness `r` in [1, l), from the browser's CSPRNG: 251 random
 * bits, drawn again until below `l` (3 draws in 4 are).
 * @param {(bytes: Uint8Array) => Uint8Array} fill the random source (crypto.getRandomValues)
 */
export function encryptionRandomness(fill = (bytes) => crypto.getRandomValues(bytes)) {
    for (;;) {
        const bytes = fill(new Uint8Array(32))
        bytes[0] &= 0x07
        const value = BigInt(`0x${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`)
        if (value >= 1n && value < GROUP_ORDER) return value
    }
}

/** The one-hot vector of `choice` among the ballot's `ENCRYPTED_OPTIONS` entries. */
export function oneHot(choice, options) {
    if (!Number.isInteger(options) || options < 1 || options > ENCRYPTED_OPTIONS) {
        throw new RangeError(`a district has 1 to ${ENCRYPTED_OPTIONS} options, not ${options}`)
    }
    if (!Number.isInteger(choice) || choice < 0 || choice >= options) {
        throw new RangeError(`choice ${choice} is not one of the district's ${options} options`)
    }
    return Array.from({ length: ENCRYPTED_OPTIONS }, (_, i) => (i === choice ? 1 : 0))
}

/**
 * Proves an encrypted ballot: membership and nullifier as `proveBallot`, the message with
 * choice field 0, and the ciphertext `R, C_0 .. C_15` of the one-hot `choice` under the
 * election key the definition pins (`pinnedElectionKey`, its `election_key_sha256`; and the
 * circuit's verification key if it pins one, `pinnedKey`). The
 * ciphertext is recomputed here from that key and must equal the proof's (else the served
 * circuit encrypts to someone else: nothing is sent). Only the ciphertext leaves, as public
 * signals 2..35; the choice and the randomness are forgotten.
 * @returns {Promise<{proof: string[], publicSignals: string[], ciphertext: string[], seconds: number}>}
 */
export async function proveEncryptedBallot({ identity, group, scope, district, choice, options, revision, pinnedKey, pinnedElectionKey }) {
    const files = await proverFiles("encrypted")
    await requirePinnedKey(pinnedKey, files, "encrypted")
    await requirePinnedElectionKey(pinnedElectionKey, files)
    const keys = optionKeys(new TextDecoder().decode(files[CIRCUIT_FILES.encrypted.electionKey]))
    const m = oneHot(choice, options)
    const r = encryptionRandomness()
    const input = { ...membershipInput({ identity, group, scope, district, choice: 0, revision }), options, r, m }
    const result = await prove("encrypted", input)
    const ciphertext = result.publicSignals.slice(2, 2 + 2 * (ENCRYPTED_OPTIONS + 1))
    const expected = encryptionSignals(keys, m, r)
    if (ciphertext.some((value, i) => value !== expected[i])) {
        throw new PageError("error.proofFailed", { detail: "the sealed ballot is not for this election's key" })
    }
    return { ...result, ciphertext }
}
