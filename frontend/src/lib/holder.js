// The registrar's desk, both ways by QR code. The desk shows a challenge; the voter's page reads
// it with the camera, signs it with the identity key (EdDSA-Poseidon, Semaphore v4's
// signMessage) and shows the answer as a compact QR code; the desk (or `veche registrar add
// --holder-qr`) reads it back, checks the signature and that Poseidon(publicKey) is the
// commitment to register. The Python side is veche.registrar.challenge; both are tested against
// the same codes.
//
// Compact codes use only digits after an upper-case prefix, so a QR code holds them in its
// numeric mode (3.3 bits a digit): the answer fits a version 8 code (49x49 modules) where the
// old 420-character text needed version 10.
import { packPoint, unpackPoint } from "@zk-kit/baby-jubjub"
import { Identity } from "@semaphore-protocol/identity"
import { poseidon2 } from "poseidon-lite"
import { PageError } from "./errors.js"

/** BN254 scalar field order: a challenge is a field element. */
const FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617n

/** Bits of randomness under the issue time in a challenge (veche.registrar.challenge). */
const RANDOM_BITS = 208n

/** The desk's challenge code: prefix, then the challenge in decimal. */
export const CHALLENGE_PREFIX = "VECHE:C1:"

/** The voter's answer: prefix, then four zero-padded decimal numbers (widths below). */
export const ANSWER_PREFIX = "VECHE:H1:"

/** Digits of each field of an answer: challenge (< 2^248), packed public key and packed R8
 * (32 bytes each, < 2^256), S (< the subgroup order, < 2^251). */
const WIDTHS = { challenge: 75, publicKey: 78, r8: 78, s: 76 }

/** A fresh challenge, as the registrar's CLI makes them: the issue time (Unix seconds) above
 * 208 bits of the browser's cryptographic randomness. */
export function newChallenge(nowSeconds = Math.floor(Date.now() / 1000)) {
    const random = crypto.getRandomValues(new Uint8Array(26))
    let low = 0n
    for (const byte of random) low = (low << 8n) | BigInt(byte)
    return (BigInt(nowSeconds) << RANDOM_BITS) | low
}

/** The Unix time (seconds) a challenge was issued at. */
export function issuedAt(challenge) {
    return Number(challenge >> RANDOM_BITS)
}

/** The code the desk shows for `challenge`. */
export function challengeCode(challenge) {
    return `${CHALLENGE_PREFIX}${challenge}`
}

/** The challenge in a desk's code (or typed as plain digits); anything else is refused. */
export function parseChallenge(text) {
    let digits = text.replace(/\s+/g, "")
    if (digits.toUpperCase().startsWith(CHALLENGE_PREFIX)) digits = digits.slice(CHALLENGE_PREFIX.length)
    if (!/^\d+$/.test(digits)) throw new PageError("error.badChallenge")
    const challenge = BigInt(digits)
    if (challenge === 0n || challenge >= FIELD) throw new PageError("error.badChallenge")
    return challenge
}

/** Signs `challenge` with the voter's key; returns the answer code and the commitment. */
export function signChallenge(identity, challenge) {
    const signature = identity.signMessage(challenge)
    const fields = [
        [challenge, WIDTHS.challenge],
        [packPoint(identity.publicKey.map(BigInt)), WIDTHS.publicKey],
        [packPoint(signature.R8.map(BigInt)), WIDTHS.r8],
        [BigInt(signature.S), WIDTHS.s],
    ]
    const digits = fields.map(([value, width]) => value.toString().padStart(width, "0")).join("")
    return { code: `${ANSWER_PREFIX}${digits}`, commitment: identity.commitment }
}

/**
 * Reads a voter's answer code and checks it: the signature verifies under the public key, and
 * the challenge is `expected` (the one this desk showed). Returns the commitment to register.
 * A wrong or damaged code is refused with the reason in `error.badAnswer` / `error.wrongChallenge`.
 */
export function readAnswer(code, expected) {
    const text = code.trim()
    const width = Object.values(WIDTHS).reduce((a, b) => a + b, 0)
    const digits = text.toUpperCase().startsWith(ANSWER_PREFIX) ? text.slice(ANSWER_PREFIX.length) : ""
    if (!new RegExp(`^\\d{${width}}$`).test(digits)) throw new PageError("error.badAnswer")
    let at = 0
    const take = (name) => BigInt(digits.slice(at, (at += WIDTHS[name])))
    const challenge = take("challenge")
    const publicKey = unpackPoint(take("publicKey"))
    const r8 = unpackPoint(take("r8"))
    const s = take("s")
    if (publicKey === null || r8 === null) throw new PageError("error.badAnswer")
    if (expected !== undefined && challenge !== expected) throw new PageError("error.wrongChallenge")
    let valid = false
    try {
        valid = Identity.verifySignature(challenge, { R8: r8, S: s }, publicKey)
    } catch {
        // the library throws on an S out of range or a point off the curve: a damaged code
    }
    if (!valid) throw new PageError("error.badAnswer")
    return { challenge, commitment: poseidon2(publicKey), code: text }
}
