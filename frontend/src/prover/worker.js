// The prover, in a Web Worker so that the page stays responsive (the progress bar moves, the
// voter can scroll) while the proof is made. It receives each circuit's files once ("plain" or
// "encrypted"), keeps them, and answers each request with a proof it has already checked
// against that circuit's verification key, or checks a proof read from the chain. The secret (and an encrypted ballot's choice and
// randomness) arrive in the request and leave only inside the zero-knowledge proof.
import { CIRCUIT_FILES } from "../lib/protocol.js"

const files = {}

self.onmessage = async ({ data }) => {
    try {
        const circuit = data.circuit ?? "plain"
        if (data.files) {
            files[circuit] = data.files
            if (self.snarkjs === undefined) {
                const script = URL.createObjectURL(new Blob([data.files["snarkjs.min.js"]], { type: "text/javascript" }))
                importScripts(script)
                URL.revokeObjectURL(script)
                // Builds the curve's WebAssembly now, while the voter reads: snarkjs keeps it (one
                // per worker) and every proof reuses it, so the click does not pay for it.
                await self.snarkjs.curves.getCurveFromName("bn128")
            }
            self.postMessage({ id: data.id, ready: true })
            return
        }
        const names = CIRCUIT_FILES[circuit]
        const loaded = files[circuit]
        if (names === undefined || loaded === undefined) throw new Error(`no files for the ${circuit} circuit`)
        const { groth16 } = self.snarkjs
        if (data.verify) {
            // A proof someone else made (a recorded ballot read from the chain): checked with the
            // same key as this device's own proofs.
            const key = JSON.parse(new TextDecoder().decode(loaded[names.verificationKey]))
            let valid
            try {
                valid = await groth16.verify(key, data.verify.publicSignals, data.verify.proof)
            } catch {
                valid = false // the key is here and sound: what snarkjs cannot read proves nothing
            }
            self.postMessage({ id: data.id, valid: valid === true })
            return
        }
        const started = performance.now()
        const { proof, publicSignals } = await groth16.fullProve(
            data.input,
            { type: "mem", data: loaded[names.wasm] },
            { type: "mem", data: loaded[names.zkey] },
        )
        const key = JSON.parse(new TextDecoder().decode(loaded[names.verificationKey]))
        const valid = await groth16.verify(key, publicSignals, proof)
        self.postMessage({ id: data.id, proof, publicSignals, valid, seconds: (performance.now() - started) / 1000 })
    } catch (error) {
        self.postMessage({ id: data.id, error: String(error?.message ?? error) })
    }
}
