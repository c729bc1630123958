// tests/vectors/elgamal.json (written by Python, tests/vectors/generate_elgamal.py) agrees with
// @zk-kit/baby-jubjub, the curve library of the voter's app: each encryption with its fixed
// randomness, the byte layout, the sum, the partial decryptions and their DLEQ proofs, and the
// combination of two trustees.   Run: node --test tests/js/
import assert from "node:assert/strict"
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { describe, test } from "node:test"
import { fileURLToPath } from "node:url"
import { Base8, addPoint, inCurve, mulPointEscalar, r, subOrder } from "@zk-kit/baby-jubjub"

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..")
const V = JSON.parse(readFileSync(join(ROOT, "tests", "vectors", "elgamal.json"), "utf8"))
const SPEC = JSON.parse(readFileSync(join(ROOT, "spec", "protocol.json"), "utf8"))
const point = ([x, y]) => [BigInt(x), BigInt(y)]
const str = ([x, y]) => [x.toString(), y.toString()]
const neg = ([x, y]) => [(r - x) % r, y]
const mul = (p, k) => mulPointEscalar(p, ((k % subOrder) + subOrder) % subOrder)
const hex32 = (n) => n.toString(16).padStart(64, "0")
const encodePoint = ([x, y]) => hex32(x) + hex32(y)
const KEYS = V.optionKeys.map(point)

describe("elgamal.json", () => {
    test("uses the spec's group, option count and ciphertext size", () => {
        assert.deepEqual(V.generator, str(Base8))
        assert.equal(BigInt(V.order), subOrder)
        assert.equal(KEYS.length, SPEC.encryption.options)
        assert.deepEqual(V.optionSecrets.map((s) => str(mul(Base8, BigInt(s)))), V.optionKeys)
    })

    for (const c of V.encryptions) {
        test(`encrypts choice ${c.choice} of ${c.options} with its fixed randomness`, () => {
            const rand = BigInt(c.randomness)
            const R = mul(Base8, rand)
            const C = KEYS.map((key, i) => {
                const shared = mul(key, rand)
                return i === c.choice ? addPoint(Base8, shared) : shared
            })
            assert.deepEqual(str(R), c.R)
            assert.deepEqual(C.map(str), c.C)
            const bytes = [R, ...C].map(encodePoint).join("")
            assert.equal(bytes.length / 2, SPEC.encryption.ciphertextBytes)
            assert.equal(bytes, c.bytes)
        })
    }

    test("the sum of the encryptions is the vectors' sum", () => {
        let R = [0n, 1n]
        let C = KEYS.map(() => [0n, 1n])
        for (const c of V.encryptions) {
            R = addPoint(R, point(c.R))
            C = C.map((total, i) => addPoint(total, point(c.C[i])))
        }
        assert.deepEqual(str(R), V.sum.R)
        assert.deepEqual(C.map(str), V.sum.C)
    })

    for (const p of V.partialDecryptions) {
        test(`trustee ${p.trustee}'s partial decryptions and DLEQ proofs verify`, () => {
            const R = point(V.sum.R)
            p.D.forEach((d, i) => {
                const D = point(d)
                const Y = point(V.verificationShares[p.trustee][i])
                assert.deepEqual(D, mul(R, BigInt(V.shares[p.trustee][i])))
                const c = BigInt(p.proofs[i].c)
                const s = BigInt(p.proofs[i].s)
                const t1 = addPoint(mul(Base8, s), mul(Y, c))
                const t2 = addPoint(mul(R, s), mul(D, c))
                const data = Buffer.concat([
                    Buffer.from("veche/dedup/dleq/v1"),
                    Buffer.from([Base8, Y, R, D, t1, t2].map(encodePoint).join(""), "hex")
                ])
                const hash = BigInt(`0x${createHash("sha512").update(data).digest("hex")}`)
                assert.equal(hash % subOrder, c)
            })
            const entries = p.D.map((d, i) => {
                const { c, s } = p.proofs[i]
                return encodePoint(point(d)) + hex32(BigInt(c)) + hex32(BigInt(s))
            })
            assert.equal(p.data, entries.join(""), "publishDecryption data: D.x|D.y|c|s")
        })
    }

    test("two trustees' partial decryptions combine to the counts", () => {
        const { trustees, lagrange, counts } = V.combination
        const partials = Object.fromEntries(V.partialDecryptions.map((p) => [p.trustee, p.D]))
        V.sum.C.forEach((c, i) => {
            let shared = [0n, 1n]
            for (const j of trustees) {
                shared = addPoint(shared, mul(point(partials[j][i]), BigInt(lagrange[j])))
            }
            const plain = addPoint(point(c), neg(shared))
            assert.ok(inCurve(plain))
            assert.deepEqual(plain, mul(Base8, BigInt(counts[i])))
        })
    })
})
