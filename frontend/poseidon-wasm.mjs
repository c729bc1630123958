// Generates register-hash.wasm: Poseidon over BN254 with two inputs (circomlib's constants, the
// hash of Semaphore's LeanIMT) in WebAssembly, for the voter page to rebuild a district's
// register of hundreds of thousands of leaves in seconds (JavaScript BigInt takes ~200 µs a
// hash, so a 300,000-voter register would take a minute).
//
// Field elements are 9 limbs of 29 bits (36 bytes, each limb a little-endian u32), in Montgomery
// form with R = 2^261. With 29-bit limbs a 58-bit product and a sum of 18 of them fit in 64
// bits, so the Montgomery product needs no carry chain until its end; and since R is 2^7 times
// larger than p, any inputs below 8p give a product below 1.5p: values are never reduced below
// p inside the hash (the page does that once for the nodes it reads, register-tree.js). Bounds:
// a mix with the next round's constants is below 2.2p, an S-box's output below 1.5p, all below 8p.
//
// The rounds are unrolled from poseidon-lite's constants; tests/js/register-hash.test.mjs checks
// the result against poseidon-lite and @semaphore-protocol/group. Exports, on the page's memory
// (imported as env.memory):
//   hashPairs(input, count, output)  output[i] = Poseidon(input[2i], input[2i+1]), i < count
//   toMontgomery(p, count)           in place, for elements given below p
//   heapStart()                      the first byte free for the caller (constants lie below)
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { ModuleBuilder } from "wasmbuilder"

const require = createRequire(import.meta.url)
// poseidon-lite exports only its hash functions; its constants are read from its files.
const poseidonLite = dirname(require.resolve("poseidon-lite"))
const constants = require(join(poseidonLite, "constants", "2.js")).default
const unstringify = require(join(poseidonLite, "poseidon", "unstringify.js")).default

export const FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617n
export const LIMBS = 9
export const LIMB_BITS = 29
export const ELEMENT_BYTES = 4 * LIMBS
export const R = 1n << BigInt(LIMBS * LIMB_BITS)
const MASK = (1n << BigInt(LIMB_BITS)) - 1n
const FULL_ROUNDS = 8
const PARTIAL_ROUNDS = 57
const T = 3

/** The limbs of `value` (< 2^261), least significant first. */
export function limbs(value) {
    return Array.from({ length: LIMBS }, (_, k) => (value >> BigInt(LIMB_BITS * k)) & MASK)
}

function elementBytes(value) {
    const bytes = new Uint8Array(ELEMENT_BYTES)
    new DataView(bytes.buffer).setUint32(0, 0, true)
    limbs(value).forEach((limb, k) => new DataView(bytes.buffer).setUint32(4 * k, Number(limb), true))
    return bytes
}

function modInverse(a, m) {
    let [r0, r1, s0, s1] = [a % m, m, 1n, 0n]
    while (r1 !== 0n) {
        const q = r0 / r1
        ;[r0, r1] = [r1, r0 - q * r1]
        ;[s0, s1] = [s1, s0 - q * s1]
    }
    return ((s0 % m) + m) % m
}

/** The wasm module's bytes (deterministic: the same constants give the same bytes). */
export function poseidonWasm() {
    const { C, M } = unstringify(constants)
    if (C.length !== (FULL_ROUNDS + PARTIAL_ROUNDS) * T || M.length !== T) {
        throw new Error(`poseidon-lite's constants changed shape: ${C.length} C, ${M.length} M`)
    }
    const module = new ModuleBuilder()
    module.setMemory(2)
    const montgomery = (value) => module.alloc(elementBytes((value * R) % FIELD))
    const pC = C.map(montgomery)
    const pM = M.map((row) => row.map(montgomery))
    const pR2 = module.alloc(elementBytes((R * R) % FIELD))
    const pZero = module.alloc(elementBytes(0n))
    const state = [0, 1].map(() => [0, 1, 2].map(() => module.alloc(ELEMENT_BYTES)))
    const scratch = module.alloc(ELEMENT_BYTES)
    const heap = Math.ceil(module.free / 64) * 64
    const p = limbs(FIELD)
    // -p^-1 mod 2^29: the multiple of p that clears a limb.
    const mu = (1n << BigInt(LIMB_BITS)) - modInverse(FIELD, 1n << BigInt(LIMB_BITS))

    // mul(a, b, r): r = a·b/R (mod p), r < 1.5p for a, b < 8p. Reads both before writing r.
    // dot3(a0, b0, a1, b1, a2, b2, c, r): r = (a0·b0 + a1·b1 + a2·b2)/R + c, with one reduction
    // for the three products (each t[k] sums at most 27 + 9 products of 58 bits: below 2^64);
    // r < 2.2p for b < 8p and a, c < p (the matrix and the round constants).
    montgomeryProduct("mul", 1, false)
    montgomeryProduct("dot3", 3, true)
    function montgomeryProduct(name, terms, constant) {
        const f = module.addFunction(name)
        for (let term = 0; term < terms; term++) {
            f.addParam(`a${term}`, "i32")
            f.addParam(`b${term}`, "i32")
        }
        if (constant) f.addParam("c", "i32")
        f.addParam("r", "i32")
        for (let term = 0; term < terms; term++) {
            for (let k = 0; k < LIMBS; k++) {
                f.addLocal(`a${term}_${k}`, "i64")
                f.addLocal(`b${term}_${k}`, "i64")
            }
        }
        for (let k = 0; k < 2 * LIMBS; k++) f.addLocal(`t${k}`, "i64")
        f.addLocal("m", "i64")
        const c = f.getCodeBuilder()
        const code = []
        for (let term = 0; term < terms; term++) {
            for (let k = 0; k < LIMBS; k++) {
                code.push(c.setLocal(`a${term}_${k}`, c.i64_load32_u(c.getLocal(`a${term}`), 4 * k)))
                code.push(c.setLocal(`b${term}_${k}`, c.i64_load32_u(c.getLocal(`b${term}`), 4 * k)))
            }
        }
        for (let k = 0; k < 2 * LIMBS; k++) {
            const products = []
            for (let term = 0; term < terms; term++) {
                for (let i = Math.max(0, k - LIMBS + 1); i <= Math.min(k, LIMBS - 1); i++) {
                    products.push(c.i64_mul(c.getLocal(`a${term}_${i}`), c.getLocal(`b${term}_${k - i}`)))
                }
            }
            code.push(c.setLocal(`t${k}`, products.length ? products.reduce((x, y) => c.i64_add(x, y)) : c.i64_const(0)))
        }
        for (let i = 0; i < LIMBS; i++) {
            code.push(
                c.setLocal("m", c.i64_and(c.i64_mul(c.i64_and(c.getLocal(`t${i}`), c.i64_const(MASK)), c.i64_const(mu)), c.i64_const(MASK))),
            )
            for (let j = 0; j < LIMBS; j++) {
                if (p[j] === 0n) continue
                code.push(c.setLocal(`t${i + j}`, c.i64_add(c.getLocal(`t${i + j}`), c.i64_mul(c.getLocal("m"), c.i64_const(p[j])))))
            }
            code.push(
                c.setLocal(`t${i + 1}`, c.i64_add(c.getLocal(`t${i + 1}`), c.i64_shr_u(c.getLocal(`t${i}`), c.i64_const(LIMB_BITS)))),
            )
        }
        for (let k = 0; k < LIMBS; k++) {
            const t = `t${LIMBS + k}`
            if (constant) {
                code.push(c.setLocal(t, c.i64_add(c.getLocal(t), c.i64_load32_u(c.getLocal("c"), 4 * k))))
            }
            if (k < LIMBS - 1) {
                code.push(
                    c.setLocal(`t${LIMBS + k + 1}`, c.i64_add(c.getLocal(`t${LIMBS + k + 1}`), c.i64_shr_u(c.getLocal(t), c.i64_const(LIMB_BITS)))),
                    c.i64_store32(c.getLocal("r"), 4 * k, c.i64_and(c.getLocal(t), c.i64_const(MASK))),
                )
            } else {
                code.push(c.i64_store32(c.getLocal("r"), 4 * k, c.getLocal(t)))
            }
        }
        f.addCode(...code)
    }

    // add(a, b, r): r = a + b, limbs carried (the value is not reduced).
    const add = module.addFunction("add")
    for (const name of ["a", "b", "r"]) add.addParam(name, "i32")
    add.addLocal("s", "i64")
    {
        const c = add.getCodeBuilder()
        const code = []
        for (let k = 0; k < LIMBS; k++) {
            const sum = c.i64_add(c.i64_load32_u(c.getLocal("a"), 4 * k), c.i64_load32_u(c.getLocal("b"), 4 * k))
            code.push(c.setLocal("s", k === 0 ? sum : c.i64_add(sum, c.i64_shr_u(c.getLocal("s"), c.i64_const(LIMB_BITS)))))
            code.push(c.i64_store32(c.getLocal("r"), 4 * k, k < LIMBS - 1 ? c.i64_and(c.getLocal("s"), c.i64_const(MASK)) : c.getLocal("s")))
        }
        add.addCode(...code)
    }

    const copy = (c, from, to) =>
        Array.from({ length: LIMBS }, (_, k) => c.i32_store(to, 4 * k, c.i32_load(from, 4 * k)))

    const hash = module.addFunction("poseidon2")
    for (const name of ["a", "b", "r"]) hash.addParam(name, "i32")
    {
        const c = hash.getCodeBuilder()
        const k = (address) => c.i32_const(address)
        const pow5 = (x) => [
            c.call("mul", k(x), k(x), k(scratch)),
            c.call("mul", k(scratch), k(scratch), k(scratch)),
            c.call("mul", k(x), k(scratch), k(x)),
        ]
        const [s] = state
        hash.addCode(
            ...Array.from({ length: LIMBS }, (_, limb) => c.i32_store(k(s[0]), 4 * limb, c.i32_const(0))),
            ...copy(c, c.getLocal("a"), k(s[1])),
            ...copy(c, c.getLocal("b"), k(s[2])),
        )
        const rounds = FULL_ROUNDS + PARTIAL_ROUNDS
        // Round 0's constants are added here; every mix adds the next round's (dot3's c).
        for (let i = 0; i < T; i++) hash.addCode(c.call("add", k(s[i]), k(pC[i]), k(s[i])))
        for (let round = 0; round < rounds; round++) {
            const from = state[round % 2]
            const to = state[(round + 1) % 2]
            const full = round < FULL_ROUNDS / 2 || round >= FULL_ROUNDS / 2 + PARTIAL_ROUNDS
            for (let i = 0; i < T; i++) if (full || i === 0) hash.addCode(...pow5(from[i]))
            // to = M · from (+ the next round's constants); after the last round only to[0].
            for (let i = 0; i < (round === rounds - 1 ? 1 : T); i++) {
                const next = round === rounds - 1 ? pZero : pC[(round + 1) * T + i]
                hash.addCode(
                    c.call("dot3", k(pM[i][0]), k(from[0]), k(pM[i][1]), k(from[1]), k(pM[i][2]), k(from[2]), k(next), k(to[i])),
                )
            }
        }
        hash.addCode(...copy(c, k(state[rounds % 2][0]), c.getLocal("r")))
    }

    const pairs = module.addFunction("hashPairs")
    for (const name of ["input", "count", "output"]) pairs.addParam(name, "i32")
    pairs.addLocal("end", "i32")
    {
        const c = pairs.getCodeBuilder()
        pairs.addCode(
            c.setLocal("end", c.i32_add(c.getLocal("output"), c.i32_mul(c.getLocal("count"), c.i32_const(ELEMENT_BYTES)))),
            c.block(
                c.loop(
                    c.br_if(1, c.i32_ge_u(c.getLocal("output"), c.getLocal("end"))),
                    c.call(
                        "poseidon2",
                        c.getLocal("input"),
                        c.i32_add(c.getLocal("input"), c.i32_const(ELEMENT_BYTES)),
                        c.getLocal("output"),
                    ),
                    c.setLocal("input", c.i32_add(c.getLocal("input"), c.i32_const(2 * ELEMENT_BYTES))),
                    c.setLocal("output", c.i32_add(c.getLocal("output"), c.i32_const(ELEMENT_BYTES))),
                    c.br(0),
                ),
            ),
        )
    }

    const toMontgomery = module.addFunction("toMontgomery")
    toMontgomery.addParam("p", "i32")
    toMontgomery.addParam("count", "i32")
    toMontgomery.addLocal("end", "i32")
    {
        const c = toMontgomery.getCodeBuilder()
        toMontgomery.addCode(
            c.setLocal("end", c.i32_add(c.getLocal("p"), c.i32_mul(c.getLocal("count"), c.i32_const(ELEMENT_BYTES)))),
            c.block(
                c.loop(
                    c.br_if(1, c.i32_ge_u(c.getLocal("p"), c.getLocal("end"))),
                    c.call("mul", c.getLocal("p"), c.i32_const(pR2), c.getLocal("p")),
                    c.setLocal("p", c.i32_add(c.getLocal("p"), c.i32_const(ELEMENT_BYTES))),
                    c.br(0),
                ),
            ),
        )
    }

    const start = module.addFunction("heapStart")
    start.setReturnType("i32")
    start.addCode(start.getCodeBuilder().i32_const(heap))

    for (const name of ["poseidon2", "hashPairs", "toMontgomery", "heapStart"]) module.exportFunction(name)
    return module.build()
}
