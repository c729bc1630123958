// The prover, in a Web Worker so that the page stays responsive (the progress bar moves, the
// voter can scroll) while the proof is made. It receives the prover's files once, keeps them,
// and answers each request with a proof it has already checked against the verification key.
// The secret arrives in the request and leaves only inside the zero-knowledge proof.
import { ZK_FILES } from "../lib/protocol.js"

let files = null

self.onmessage = async ({ data }) => {
    try {
        if (data.files) {
            files = data.files
            const script = URL.createObjectURL(new Blob([files["snarkjs.min.js"]], { type: "text/javascript" }))
            importScripts(script)
            URL.revokeObjectURL(script)
            // Builds the curve's WebAssembly now, while the voter reads: snarkjs keeps it (one
            // per worker) and every proof reuses it, so the click does not pay for it.
            await self.snarkjs.curves.getCurveFromName("bn128")
            self.postMessage({ id: data.id, ready: true })
            return
        }
        const { groth16 } = self.snarkjs
        const started = performance.now()
        const { proof, publicSignals } = await groth16.fullProve(
            data.input,
            { type: "mem", data: files[ZK_FILES.wasm] },
            { type: "mem", data: files[ZK_FILES.zkey] },
        )
        const key = JSON.parse(new TextDecoder().decode(files[ZK_FILES.verificationKey]))
        const valid = await groth16.verify(key, publicSignals, proof)
        self.postMessage({ id: data.id, proof, publicSignals, valid, seconds: (performance.now() - started) / 1000 })
    } catch (error) {
        self.postMessage({ id: data.id, error: String(error?.message ?? error) })
    }
}
