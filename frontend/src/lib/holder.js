// The voter's proof of holding the identity: a signature of the registrar's challenge with the
// identity key (EdDSA-Poseidon, Semaphore v4's signMessage). The registrar's tool checks it
// (veche.registrar.challenge) and that Poseidon(publicKey) is the commitment it registers.
import { PageError } from "./errors.js"

/** BN254 scalar field order: a challenge is a field element. */
const FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617n

/** The one-line text the registrar's tool reads (`veche registrar add --holder-proof`). */
export const HOLDER_PROOF_PREFIX = "veche-holder:1"

/** The challenge a registrar typed or dictated, as a field element; anything else is refused. */
export function parseChallenge(text) {
    const digits = text.replace(/\s+/g, "")
    if (!/^\d+$/.test(digits)) throw new PageError("error.badChallenge")
    const challenge = BigInt(digits)
    if (challenge === 0n || challenge >= FIELD) throw new PageError("error.badChallenge")
    return challenge
}

/** Signs `challenge`; returns the public key, the signature and the one-line proof, as text. */
export function signChallenge(identity, challenge) {
    const signature = identity.signMessage(challenge)
    const [x, y] = identity.publicKey
    const [r8x, r8y] = signature.R8
    const numbers = [challenge, x, y, r8x, r8y, signature.S]
    return {
        publicKey: `${x},${y}`,
        signature: `${r8x},${r8y},${signature.S}`,
        text: [HOLDER_PROOF_PREFIX, ...numbers.map(String)].join(":"),
    }
}
