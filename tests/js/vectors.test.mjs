// The shared vectors of tests/vectors/*.json agree with the JavaScript libraries the voter's
// app uses (Semaphore 4.14, poseidon-lite, snarkjs), and every proof case verifies, or fails to,
// as its `valid` flag says.   Run: node --test tests/js/
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { describe, test } from "node:test"
import { fileURLToPath } from "node:url"
import { Group } from "@semaphore-protocol/group"
import { Identity } from "@semaphore-protocol/identity"
import { packGroth16Proof } from "@semaphore-protocol/proof"
import { poseidon1 } from "poseidon-lite/poseidon1"
import { poseidon2 } from "poseidon-lite/poseidon2"
import { poseidon3 } from "poseidon-lite/poseidon3"
import * as snarkjs from "snarkjs"
import {
    ballotMessage,
    electionScope,
    nullifierOf,
    packProof,
    semaphoreHash,
} from "../../frontend/src/lib/encoding.js"

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..")
const load = (name) => JSON.parse(readFileSync(join(ROOT, "tests", "vectors", name), "utf8"))
const str = (xs) => xs.map((x) => x.toString())

describe("poseidon.json", () => {
    const { cases } = load("poseidon.json")
    const poseidon = { 1: poseidon1, 2: poseidon2, 3: poseidon3 }

    test("covers 1, 2 and 3 inputs", () => {
        assert.deepEqual([...new Set(cases.map((c) => c.inputs.length))].sort(), [1, 2, 3])
    })
    for (const c of cases) {
        test(`Poseidon(${c.inputs.map((x) => x.slice(0, 8)).join(", ")}) matches poseidon-lite`, () => {
            assert.equal(poseidon[c.inputs.length](c.inputs.map(BigInt)).toString(), c.hash)
        })
    }
})

describe("identity.json", () => {
    for (const c of load("identity.json").cases) {
        test(`identity ${c.privateKey} gives the stored scalar, key and commitment`, () => {
            const id = Identity.import(c.privateKey)
            assert.equal(id.secretScalar.toString(), c.secretScalar)
            assert.deepEqual(str(id.publicKey), c.publicKey)
            assert.equal(id.commitment.toString(), c.commitment)
            assert.equal(poseidon2(c.publicKey.map(BigInt)).toString(), c.commitment)
        })
    }
})

describe("signatures.json", () => {
    const { cases } = load("signatures.json")
    const point = (xy) => xy.map(BigInt)
    const signatureOf = (c) => ({ R8: point(c.signature.R8), S: BigInt(c.signature.S) })

    test("has valid and invalid cases", () => {
        assert.ok(cases.some((c) => c.valid) && cases.some((c) => !c.valid))
    })
    for (const c of cases) {
        test(`${c.name} signature of challenge ${c.challenge.slice(0, 10)} verifies: ${c.valid}`, () => {
            const ok = Identity.verifySignature(BigInt(c.challenge), signatureOf(c), point(c.publicKey))
            assert.equal(ok, c.valid)
            assert.equal(poseidon2(point(c.publicKey)).toString(), c.commitment)
            if (c.valid) {
                const id = Identity.import(c.privateKey)
                const again = id.signMessage(BigInt(c.challenge))
                assert.deepEqual(str(again.R8), c.signature.R8)
                assert.equal(again.S.toString(), c.signature.S)
            }
        })
    }
})

/** The root a circuit computes from a LeanIMT proof: bit i of pathIndex says "I am right". */
function rootFromProof(leaf, pathIndex, siblings) {
    let node = BigInt(leaf)
    siblings.forEach((sibling, level) => {
        node = (pathIndex >> level) & 1 ? poseidon2([BigInt(sibling), node]) : poseidon2([node, BigInt(sibling)])
    })
    return node
}

describe("merkle.json", () => {
    for (const c of load("merkle.json").cases) {
        test(`a register of ${c.leaves.length} leaves has the stored root and proofs`, () => {
            const group = new Group(c.leaves.map(BigInt))
            assert.equal(group.root.toString(), c.root)
            assert.equal(c.proofs.length, c.leaves.length)
            for (const p of c.proofs) {
                const mine = group.generateMerkleProof(p.index)
                assert.equal(p.leaf, c.leaves[p.index])
                assert.equal(mine.index, p.pathIndex)
                assert.deepEqual(str(mine.siblings), p.siblings)
                assert.equal(p.root, c.root)
                assert.equal(rootFromProof(p.leaf, p.pathIndex, p.siblings).toString(), c.root)
            }
        })
    }
})

describe("hashing.json", () => {
    const v = load("hashing.json")
    test("H(x) is keccak256(uint256 x) >> 8, below r", () => {
        for (const c of v.hash) assert.equal(semaphoreHash(BigInt(c.input)).toString(), c.output)
    })
    test("message is (district << 64) | (revision << 32) | choice, its signal H(message)", () => {
        for (const c of v.message) {
            const message = ballotMessage(c.district, c.choice, c.revision)
            assert.equal(message.toString(), c.message)
            assert.equal(semaphoreHash(message).toString(), c.signal)
        }
    })
    test("scope is keccak256(abi.encode(chainId, address)) and its signal is H(scope)", () => {
        for (const c of v.scope) {
            const scope = electionScope(c.chainId, c.address)
            assert.equal(scope.toString(), c.scope)
            assert.equal(semaphoreHash(scope).toString(), c.signal)
        }
    })
    test("nullifier is Poseidon(H(scope), secretScalar)", () => {
        const scopeOf = new Map(v.scope.map((c) => [c.signal, BigInt(c.scope)]))
        for (const c of v.nullifier) {
            const id = Identity.import(c.privateKey)
            assert.ok(scopeOf.has(c.scopeSignal), "every nullifier case uses a scope case")
            assert.equal(nullifierOf(scopeOf.get(c.scopeSignal), id.secretScalar).toString(), c.nullifier)
        }
    })
})

describe("proofs.json", () => {
    const v = load("proofs.json")
    const vkey = JSON.parse(readFileSync(join(ROOT, v.verificationKey), "utf8"))

    test("has the valid case and every negative case the protocol names", () => {
        const names = v.cases.map((c) => c.name)
        for (const name of [
            "valid_member",
            "invalid_wrong_message",
            "invalid_wrong_scope",
            "invalid_wrong_root",
            "invalid_wrong_nullifier",
            "invalid_swapped_a_c",
            "invalid_a_not_on_curve",
            "invalid_signal_not_in_field",
            "invalid_b_not_in_subgroup"
        ]) {
            assert.ok(names.includes(name), `missing ${name}`)
        }
        for (const c of v.cases) assert.equal(c.valid, c.name.startsWith("valid_"), c.name)
    })
    for (const c of v.cases) {
        test(`${c.name}: packed is the Solidity order of the proof`, () => {
            assert.deepEqual(packGroth16Proof(c.proof), c.packed)
            assert.deepEqual(packProof(c.proof), c.packed)
        })
        test(`${c.name}: snarkjs says ${c.valid ? "valid" : "invalid"}`, async () => {
            assert.equal(await snarkjs.groth16.verify(vkey, c.publicSignals, c.proof), c.valid)
        })
    }
    for (const c of v.cases.filter((c) => c.valid)) {
        test(`${c.name}: public signals are the root, nullifier, H(message), H(scope) of its context`, () => {
            const ctx = c.context
            const id = Identity.import(ctx.privateKey)
            const group = new Group(ctx.groupLeaves.map(BigInt))
            const scope = electionScope(ctx.chainId, ctx.address)
            assert.ok(group.indexOf(id.commitment) >= 0, "the prover is a member")
            assert.equal(scope.toString(), ctx.scope)
            assert.deepEqual(c.publicSignals, [
                group.root.toString(),
                nullifierOf(scope, id.secretScalar).toString(),
                semaphoreHash(ballotMessage(0, ctx.choice, ctx.revision)).toString(),
                semaphoreHash(scope).toString()
            ])
        })
    }
    test("a re-vote has the first ballot's nullifier", () => {
        const byName = Object.fromEntries(v.cases.map((c) => [c.name, c]))
        assert.equal(byName.valid_revote.publicSignals[1], byName.valid_member.publicSignals[1])
        assert.notEqual(byName.valid_revote.publicSignals[2], byName.valid_member.publicSignals[2])
    })
})

test.after(() => {
    // snarkjs keeps a curve with worker threads alive; let the runner finish.
    globalThis.curve_bn128?.terminate()
})
