// Long-lived Groth16 prover for Veche ballots: one JSON request per stdin line, one JSON answer
// per stdout line, in order. Keeping the process alive saves loading the keys and building the
// curve (about a second) on every ballot.
//
//   node zk/prove.mjs [WASM] [ZKEY] [--single-thread]
//     WASM  default: the spec's development folder (spec/protocol.json, zk), semaphore.wasm
//     ZKEY  default: the same folder's semaphore.zkey (DEV keys: see the README beside it)
//     --single-thread  no worker threads (for running several provers side by side)
//
// Request:  {"id": any, "input": {secret, merkleProofLength, merkleProofIndex,
//            merkleProofSiblings[20], message, scope}}   (numbers or decimal strings)
//           for the encrypted ballot circuit (zk/circuits/encrypted_ballot.circom, its WASM and
//           ZKEY given) the input also holds options, r and m[16] (one-hot)
// Answer:   {"id": ..., "proof": {pi_a, pi_b, pi_c, protocol, curve}, "publicSignals": [4]}
//           ([39] for the encrypted circuit)
//       or  {"id": ..., "error": "one-line reason"}
// After loading, the process writes {"ready": true}. It exits when stdin closes.
import { readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import * as snarkjs from "snarkjs"
import spec from "../spec/protocol.json" with { type: "json" }

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..")
const INPUT_KEYS = ["secret", "merkleProofLength", "merkleProofIndex", "merkleProofSiblings", "message", "scope"]
const ENCRYPTED_KEYS = [...INPUT_KEYS, "options", "r", "m"]

const args = process.argv.slice(2)
const singleThread = args.includes("--single-thread")
const [wasmPath, zkeyPath] = args.filter((a) => !a.startsWith("--"))
const wasm = readFileSync(wasmPath ?? join(ROOT, spec.zk.developmentDir, spec.zk.wasm))
const zkey = readFileSync(zkeyPath ?? join(ROOT, spec.zk.developmentDir, spec.zk.zkey))

/** The first line of an error, without the noise circom's witness calculator adds. */
function reason(err) {
    const text = String(err?.message ?? err).replace(/^Error: /, "")
    const lines = text.split("\n").map((l) => l.trim()).filter(Boolean)
    // circom reports "Assert Failed." then "Error in template X_n line: k": keep both.
    return lines.slice(0, 2).join(" ") || "unknown prover error"
}

function checkInput(input) {
    if (input === null || typeof input !== "object") throw new Error("input must be an object")
    const keys = "m" in input ? ENCRYPTED_KEYS : INPUT_KEYS
    const missing = keys.filter((k) => !(k in input))
    if (missing.length) throw new Error(`input lacks ${missing.join(", ")}`)
    const extra = Object.keys(input).filter((k) => !keys.includes(k))
    if (extra.length) throw new Error(`input has unknown keys ${extra.join(", ")}`)
}

async function answer(line) {
    let id = null
    try {
        const request = JSON.parse(line)
        id = request.id ?? null
        checkInput(request.input)
        const { proof, publicSignals } = await snarkjs.groth16.fullProve(
            request.input,
            wasm,
            zkey,
            undefined,
            undefined,
            { singleThread }
        )
        return { id, proof, publicSignals }
    } catch (err) {
        return { id, error: reason(err) }
    }
}

process.stdout.write(`${JSON.stringify({ ready: true })}\n`)
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })
for await (const line of lines) {
    if (!line.trim()) continue
    process.stdout.write(`${JSON.stringify(await answer(line))}\n`)
}
process.exit(0)
