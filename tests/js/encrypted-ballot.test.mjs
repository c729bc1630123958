// The page's encrypted ballot input (frontend/src/lib/prover.js): the ElGamal randomness is
// uniform in [1, l) from the random source it is given, the choice becomes a one-hot vector of
// the spec's 16 entries below the district's options, and the ciphertext the page checks a
// proof against (lib/ballot-encryption.js) is Python's (tests/vectors/elgamal.json).
// Run: node --test tests/js/
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { describe, test } from "node:test"
import { fileURLToPath } from "node:url"
import { encryptionSignals, optionKeys } from "../../frontend/src/lib/ballot-encryption.js"
import { encryptionRandomness, oneHot } from "../../frontend/src/lib/prover.js"
import { ENCRYPTED_OPTIONS, GROUP_ORDER, SPEC } from "../../frontend/src/lib/protocol.js"

/** A random source that hands out the given 32-byte blocks in turn. */
function scripted(...blocks) {
    return (bytes) => {
        bytes.set(blocks.shift())
        return bytes
    }
}

function bytesOf(value) {
    return Uint8Array.from(Buffer.from(value.toString(16).padStart(64, "0"), "hex"))
}

describe("encrypted ballot input", () => {
    test("the randomness is drawn again while it is 0 or not below l", () => {
        const r = encryptionRandomness(scripted(bytesOf(0n), bytesOf(GROUP_ORDER), bytesOf(GROUP_ORDER - 1n)))
        assert.equal(r, GROUP_ORDER - 1n)
    })

    test("the randomness keeps 251 bits of each draw", () => {
        const r = encryptionRandomness(scripted(new Uint8Array(32).fill(0xff), bytesOf(5n)))
        // 0xff.. masked to 251 bits is 2^251 - 1 >= l: drawn again.
        assert.equal(r, 5n)
    })

    test("crypto.getRandomValues gives values in [1, l)", () => {
        for (let i = 0; i < 64; i++) {
            const r = encryptionRandomness()
            assert.ok(r >= 1n && r < GROUP_ORDER)
        }
    })

    test("one-hot of the spec's length, refused outside the district's options", () => {
        assert.equal(ENCRYPTED_OPTIONS, SPEC.encryption.options)
        assert.deepEqual(oneHot(2, 5), [0, 0, 1, ...Array(ENCRYPTED_OPTIONS - 3).fill(0)])
        assert.throws(() => oneHot(5, 5), /not one of the district's 5 options/)
        assert.throws(() => oneHot(0, 0), /1 to 16 options/)
        assert.throws(() => oneHot(0, 17), /1 to 16 options/)
    })
})

describe("the page's own ciphertext check", () => {
    const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..")
    const V = JSON.parse(readFileSync(join(ROOT, "tests", "vectors", "elgamal.json"), "utf8"))
    const keyFile = JSON.stringify({ format: "veche-election-key/v1", optionKeys: V.optionKeys })

    for (const c of V.encryptions) {
        test(`gives Python's encryption of choice ${c.choice} of ${c.options}`, () => {
            const signals = encryptionSignals(optionKeys(keyFile), oneHot(c.choice, c.options), BigInt(c.randomness))
            assert.deepEqual(signals, [...c.R, ...c.C.flat()])
        })
    }

    test("another choice or another randomness gives another ciphertext", () => {
        const c = V.encryptions[0]
        const keys = optionKeys(keyFile)
        const base = encryptionSignals(keys, oneHot(c.choice, c.options), BigInt(c.randomness))
        const other = (c.choice + 1) % c.options
        assert.notDeepEqual(encryptionSignals(keys, oneHot(other, c.options), BigInt(c.randomness)), base)
        assert.notDeepEqual(encryptionSignals(keys, oneHot(c.choice, c.options), BigInt(c.randomness) + 1n), base)
    })

    test("a file that is not an election key is refused", () => {
        assert.throws(() => optionKeys(JSON.stringify({ format: "other", optionKeys: V.optionKeys })), /veche-election-key/)
    })
})
