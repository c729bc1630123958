// The ciphertext an encrypted ballot must carry, computed on the voter's device from the
// election key the definition pins: R = r·G, C_i = m_i·G + r·Y_i (G = Base8; veche.crypto.elgamal
// in Python, tests/vectors/elgamal.json for both). The page compares it with the proof's public
// signals before sending, so a circuit served for another key (whose holder could read the
// choice) is refused on the device, not after the relayer has seen the ballot.
import { Base8, addPoint, mulPointEscalar } from "@zk-kit/baby-jubjub"
import { ENCRYPTED_OPTIONS } from "./protocol.js"

/** The 16 option keys of an election key file's JSON text (`veche-election-key/v1`). */
export function optionKeys(text) {
    const key = JSON.parse(text)
    if (key?.format !== "veche-election-key/v1" || !Array.isArray(key.optionKeys) || key.optionKeys.length !== ENCRYPTED_OPTIONS) {
        throw new RangeError("not a veche-election-key/v1 file with 16 option keys")
    }
    return key.optionKeys.map(([x, y]) => [BigInt(x), BigInt(y)])
}

/** `R.x, R.y, C_0.x, ..., C_15.y` (34 decimal strings) of the one-hot `m` with randomness `r`. */
export function encryptionSignals(keys, m, r) {
    const points = [mulPointEscalar(Base8, r)]
    keys.forEach((key, i) => {
        const shared = mulPointEscalar(key, r)
        points.push(m[i] === 1 ? addPoint(Base8, shared) : shared)
    })
    return points.flatMap(([x, y]) => [x.toString(), y.toString()])
}
