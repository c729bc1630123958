// Witnesses of the ballot circuit for bench/ballot_pool.py's native prover: one JSON request per
// stdin line, one JSON answer per stdout line, in order. The witness is computed by snarkjs from
// the circuit's own wasm (the same code as zk/prove.mjs); only the proof is made elsewhere.
//
//   node bench/witness.mjs WASM
//
// Request:  {"input": {...circuit inputs...}, "out": "path/of/the.wtns"}
// Answer:   {"ok": true}  or  {"error": "one-line reason"}
import { readFileSync } from "node:fs"
import { createInterface } from "node:readline"
import * as snarkjs from "snarkjs"

const wasm = readFileSync(process.argv[2])
process.stdout.write(`${JSON.stringify({ ready: true })}\n`)
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })
for await (const line of lines) {
    if (!line.trim()) continue
    let answer
    try {
        const request = JSON.parse(line)
        await snarkjs.wtns.calculate(request.input, wasm, request.out, { singleThread: true })
        answer = { ok: true }
    } catch (err) {
        answer = { error: String(err?.message ?? err).split("\n")[0] }
    }
    process.stdout.write(`${JSON.stringify(answer)}\n`)
}
process.exit(0)
