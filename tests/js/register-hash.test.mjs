// The page's Poseidon in WebAssembly (frontend/poseidon-wasm.mjs) gives the roots and Merkle
// paths of @semaphore-protocol/group (the tree the contract and the circuit use) for every
// register shape: empty-ish, odd levels carried up, powers of two.
import assert from "node:assert/strict"
import { test } from "node:test"
import { Group } from "@semaphore-protocol/group"
import { poseidon2 } from "poseidon-lite"
import { poseidonWasm } from "../../frontend/poseidon-wasm.mjs"
import { loadHasher, RegisterTree } from "../../frontend/src/lib/register-tree.js"

const FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617n

function words(values) {
    const body = new Uint8Array(32 * values.length)
    values.forEach((value, i) => {
        let v = value
        for (let b = 31; b >= 0; b--) {
            body[32 * i + b] = Number(v & 0xffn)
            v >>= 8n
        }
    })
    return body
}

function leaves(count, seed) {
    let x = seed
    return Array.from({ length: count }, () => {
        x = (x * 6364136223846793005n + 1442695040888963407n) % (1n << 256n)
        return x % FIELD
    })
}

const hasher = await loadHasher(poseidonWasm())

test("one Poseidon hash in wasm equals poseidon-lite's, edge values included", async () => {
    for (const [a, b] of [[0n, 0n], [1n, 2n], [FIELD - 1n, FIELD - 2n], ...leaves(6, 7n).map((v, i, all) => [v, all[(i + 1) % 6]])]) {
        const tree = await RegisterTree.build(hasher, words([a, b]), 2)
        assert.equal(tree.root, poseidon2([a, b]), `Poseidon(${a}, ${b})`)
    }
})

test("roots and Merkle paths equal the Semaphore group's for registers of every shape", async () => {
    for (const count of [1, 2, 3, 5, 8, 13, 64, 100, 257]) {
        const values = leaves(count, BigInt(count))
        const group = new Group(values)
        const tree = await RegisterTree.build(hasher, words(values), count)
        assert.equal(tree.root, group.root, `root of ${count}`)
        for (const index of new Set([0, count - 1, Math.floor(count / 2)])) {
            assert.equal(tree.indexOf(values[index]), index)
            assert.deepEqual(tree.generateMerkleProof(index), group.generateMerkleProof(index), `path ${index} of ${count}`)
        }
    }
})

test("a register one leaf off has another root, and an absent commitment has no index", async () => {
    const values = leaves(50, 3n)
    const root = (await RegisterTree.build(hasher, words(values), 50)).root
    const altered = [...values]
    altered[17] = (altered[17] + 1n) % FIELD
    assert.notEqual((await RegisterTree.build(hasher, words(altered), 50)).root, root)
    assert.equal((await RegisterTree.build(hasher, words(values), 50)).indexOf(12345n), -1)
})

/** A stand-in for a Worker running register-worker.js, in this thread (the split's arithmetic
 * is what is tested here; the browser test runs the real worker). */
function inThisThread() {
    const helper = {
        terminate() {},
        postMessage(data) {
            RegisterTree.build(data.hasher, new Uint8Array(data.body), data.count, { upTo: data.upTo }).then(
                (tree) => helper.onmessage({ data: { levels: tree.levelBytes(data.upTo) } }),
                (error) => helper.onerror({ message: String(error) }),
            )
        },
    }
    return helper
}

test("a register hashed in two halves gives the Semaphore group's root and paths", async () => {
    for (const count of [32, 33, 41, 100, 257, 1000, 4099]) {
        const values = leaves(count, BigInt(count) + 11n)
        const group = new Group(values)
        const tree = await RegisterTree.build(hasher, words(values), count, { worker: inThisThread })
        assert.equal(tree.root, group.root, `root of ${count}`)
        for (const index of new Set([0, count - 1, Math.floor(count / 2), Math.floor(count / 2) - 1])) {
            assert.deepEqual(tree.generateMerkleProof(index), group.generateMerkleProof(index), `path ${index} of ${count}`)
        }
    }
})
