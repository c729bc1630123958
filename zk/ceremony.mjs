// Phase-2 (circuit-specific) Groth16 ceremony steps for `veche ceremony`, on top of snarkjs.
//
//   node zk/ceremony.mjs < request.json
//
// One JSON request on stdin (secrets such as a contributor's entropy never appear on a command
// line, where other users of the machine could read them), one JSON answer on stdout:
//   {"op": "setup", "r1cs", "ptau", "out"}                    -> {"ok", "circuitHash"}
//   {"op": "contribute", "in", "out", "name", "entropy"}       -> {"ok", "hash"}
//   {"op": "beacon", "in", "out", "name", "beacon", "iterations"} -> {"ok", "hash"}
//   {"op": "verify", "r1cs", "ptau", "zkey"}                    -> {"ok", "circuitHash",
//        "contributions": [{"index", "name", "hash", "beacon"?, "iterations"?}], "reason"?}
//   {"op": "export", "zkey", "vkey", "verifier"}                -> {"ok"}
// A failure is {"ok": false, "reason": "one line"}. snarkjs' progress goes to stderr.
import { readFileSync, writeFileSync } from "node:fs"
import * as snarkjs from "snarkjs"

const messages = []
const logger = {
    debug: () => {},
    info: (m) => { messages.push(String(m)); process.stderr.write(`${m}\n`) },
    warn: (m) => { messages.push(String(m)); process.stderr.write(`${m}\n`) },
    error: (m) => { messages.push(`ERROR ${m}`); process.stderr.write(`${m}\n`) },
}
// zkey verification reports some failures with console.log: keep them, off stdout.
console.log = (...parts) => logger.error(parts.join(" "))

function hexOf(bytes) {
    return Buffer.from(bytes).toString("hex")
}

/** The contributions listed by a successful verification, first to last. */
function contributionsFromLog() {
    const found = []
    for (let i = 0; i < messages.length; i++) {
        const head = /^contribution #(\d+) ?(.*):$/.exec(messages[i].split("\n")[0].trim())
        if (!head) continue
        const hash = messages[i].split("\n").slice(1).join("").replace(/\s+/g, "")
        const entry = { index: Number(head[1]), name: head[2], hash }
        const next = messages[i + 1] ?? ""
        const beacon = /^Beacon generator: ([0-9a-f]+)$/.exec(next)
        if (beacon) {
            entry.beacon = beacon[1]
            entry.iterations = Number(/(\d+)$/.exec(messages[i + 2] ?? "")?.[1])
        }
        found.push(entry)
    }
    return found.sort((a, b) => a.index - b.index)
}

function circuitHashFromLog() {
    const line = messages.find((m) => m.startsWith("Circuit Hash:"))
    return line ? line.split("\n").slice(1).join("").replace(/\s+/g, "") : null
}

function lastError(fallback) {
    const errors = messages.filter((m) => m.startsWith("ERROR ")).map((m) => m.slice(6).trim())
    return errors.length ? errors.join("; ") : fallback
}

async function run(req) {
    switch (req.op) {
        case "setup": {
            const csHash = await snarkjs.zKey.newZKey(req.r1cs, req.ptau, req.out, logger)
            return { ok: true, circuitHash: hexOf(csHash) }
        }
        case "contribute": {
            if (!req.entropy) throw new Error("no entropy given")
            const hash = await snarkjs.zKey.contribute(req.in, req.out, req.name, req.entropy, logger)
            return { ok: true, hash: hexOf(hash) }
        }
        case "beacon": {
            const hash = await snarkjs.zKey.beacon(req.in, req.out, req.name, req.beacon, req.iterations, logger)
            if (!hash) return { ok: false, reason: lastError("the beacon was refused") }
            return { ok: true, hash: hexOf(hash) }
        }
        case "verify": {
            const ok = await snarkjs.zKey.verifyFromR1cs(req.r1cs, req.ptau, req.zkey, logger)
            if (!ok) return { ok: false, reason: lastError("the transcript does not verify") }
            return { ok: true, circuitHash: circuitHashFromLog(), contributions: contributionsFromLog() }
        }
        case "export": {
            const vkey = await snarkjs.zKey.exportVerificationKey(req.zkey, logger)
            writeFileSync(req.vkey, JSON.stringify(vkey, null, 1))
            const templates = {
                groth16: readFileSync(new URL("../node_modules/snarkjs/templates/verifier_groth16.sol.ejs", import.meta.url), "utf8"),
            }
            const code = await snarkjs.zKey.exportSolidityVerifier(req.zkey, templates, logger)
            writeFileSync(req.verifier, code)
            return { ok: true }
        }
        default:
            return { ok: false, reason: `unknown operation ${JSON.stringify(req.op)}` }
    }
}

let answer
try {
    answer = await run(JSON.parse(readFileSync(0, "utf8")))
} catch (err) {
    const text = String(err?.message ?? err).split("\n")[0]
    answer = { ok: false, reason: text || "snarkjs failed" }
}
process.stdout.write(JSON.stringify(answer) + "\n")
process.exit(0)
