// Groth16 proofs of the Semaphore v4 circuit (depth 20), made in the browser with snarkjs and the
// circuit files served next to the page. The secret goes into the prover and nowhere else.
import { PageError } from "./errors.js"
import { ballotMessage, packProof, semaphoreHash } from "./encoding.js"

const DEPTH = 20
let snarkjsLoading = null

/** snarkjs' browser build, loaded on first use (700 KB the page does not need until a vote). */
function snarkjs() {
    snarkjsLoading ??= new Promise((resolve, reject) => {
        if (globalThis.snarkjs) return resolve(globalThis.snarkjs)
        const script = document.createElement("script")
        script.src = "snarkjs.min.js"
        script.onload = () => resolve(globalThis.snarkjs)
        script.onerror = () => reject(new PageError("error.proofFailed", { detail: "snarkjs.min.js" }))
        document.head.append(script)
    })
    return snarkjsLoading
}

/**
 * Proves "my commitment is in this register; my nullifier in this election is N; my message is
 * (district, choice, revision)" and checks the proof locally before anyone else sees it.
 * @returns {Promise<{proof: string[], publicSignals: string[], seconds: number}>}
 */
export async function proveBallot({ identity, group, scope, district, choice, revision }) {
    const index = group.indexOf(identity.commitment)
    const path = group.generateMerkleProof(index)
    const siblings = [...path.siblings]
    while (siblings.length < DEPTH) siblings.push(0n)
    const input = {
        secret: identity.secretScalar,
        merkleProofLength: path.siblings.length,
        merkleProofIndex: path.index,
        merkleProofSiblings: siblings,
        scope: semaphoreHash(scope),
        message: semaphoreHash(ballotMessage(district, choice, revision)),
    }
    const started = performance.now()
    try {
        const { groth16 } = await snarkjs()
        const { proof, publicSignals } = await groth16.fullProve(input, "semaphore.wasm", "semaphore.zkey")
        const key = await (await fetch("verification_key.json")).json()
        if (!(await groth16.verify(key, publicSignals, proof))) throw new Error("local check failed")
        return {
            proof: packProof(proof),
            publicSignals: publicSignals.map(String),
            seconds: (performance.now() - started) / 1000,
        }
    } catch (error) {
        if (error instanceof PageError) throw error
        throw new PageError("error.proofFailed", { detail: String(error?.message ?? error) })
    }
}
