// Groth16 proofs of the Semaphore v4 circuit (depth 20), made on the voter's device in a Web
// Worker (prover-worker.js) with snarkjs and the circuit files of lib/prover-files.js. The
// secret goes into the worker and nowhere else; the proof is checked there before anyone sees it.
import { PageError } from "./errors.js"
import { ballotMessage, packProof, semaphoreHash } from "./encoding.js"
import { proverFiles, requirePinnedKey } from "./prover-files.js"
import { TREE_DEPTH } from "./protocol.js"

let worker = null
let nextId = 1
const pending = new Map()

/** The worker, started with the prover's files (waits for them to download, if they are not
 * here yet). Starting it early (`warmProver`) saves its start-up on the voter's click. */
function proverWorker() {
    worker ??= proverFiles().then(
        (files) =>
            new Promise((resolve, reject) => {
                const started = new Worker("prover-worker.js")
                started.onmessage = ({ data }) => {
                    const request = pending.get(data.id)
                    if (request === undefined) return
                    pending.delete(data.id)
                    if (data.error !== undefined) request.reject(new PageError("error.proofFailed", { detail: data.error }))
                    else request.resolve(data)
                }
                started.onerror = (event) => {
                    const failure = new PageError("error.proofFailed", { detail: event.message ?? "worker" })
                    for (const request of pending.values()) request.reject(failure)
                    pending.clear()
                    worker = null
                    reject(failure)
                }
                call(started, { files }).then(() => resolve(started), reject)
            }),
    )
    worker.catch(() => {
        worker = null
    })
    return worker
}

function call(target, message) {
    const id = nextId++
    return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject })
        target.postMessage({ ...message, id })
    })
}

/** Resolves when the prover is ready: its files here and checked, its worker started. */
export async function proverReady() {
    await proverWorker()
}

/** Downloads the prover's files and starts the worker in the background. */
export function warmProver() {
    proverWorker().then(() => {
        document.body.dataset.prover = "ready"
    }, () => {
        // Reported when the voter casts a ballot, with the reason; nothing to show before.
    })
}

/**
 * Proves "my commitment is in this register; my nullifier in this election is N; my message is
 * (district, choice, revision)" and checks the proof locally before anyone else sees it, with
 * the verification key the election's definition pins (`pinnedKey`, its sha256) if it pins one.
 * @returns {Promise<{proof: string[], publicSignals: string[], seconds: number}>}
 */
export async function proveBallot({ identity, group, scope, district, choice, revision, pinnedKey }) {
    await requirePinnedKey(pinnedKey, await proverFiles())
    const index = group.indexOf(identity.commitment)
    const path = group.generateMerkleProof(index)
    const siblings = [...path.siblings]
    while (siblings.length < TREE_DEPTH) siblings.push(0n)
    const input = {
        secret: identity.secretScalar,
        merkleProofLength: path.siblings.length,
        merkleProofIndex: path.index,
        merkleProofSiblings: siblings,
        scope: semaphoreHash(scope),
        message: semaphoreHash(ballotMessage(district, choice, revision)),
    }
    const started = await proverWorker()
    const answer = await call(started, { input })
    if (!answer.valid) throw new PageError("error.proofFailed", { detail: "the proof did not verify on this device" })
    return {
        proof: packProof(answer.proof),
        publicSignals: answer.publicSignals.map(String),
        seconds: answer.seconds,
    }
}
