// The page's reader of register snapshots agrees with `veche register snapshot`'s bytes (the
// shared vector tests/vectors/register-snapshot.bin) and refuses an altered or foreign one.
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { test } from "node:test"
import { fileURLToPath } from "node:url"
import { parseSnapshot, registerFromSnapshot } from "../../frontend/src/lib/register.js"

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..")
const VECTORS = join(ROOT, "tests", "vectors")
const bytes = new Uint8Array(readFileSync(join(VECTORS, "register-snapshot.bin")))
const merkle = JSON.parse(readFileSync(join(VECTORS, "merkle.json"), "utf8"))
const expected = merkle.cases.find((c) => c.leaves.length >= 7)
const ELECTION = "0x" + "ab".repeat(20)

test("the snapshot vector reads as the Python writer wrote it", () => {
    const snapshot = parseSnapshot(bytes)
    assert.equal(snapshot.chainId, 31337n)
    assert.equal(snapshot.election, ELECTION)
    assert.equal(snapshot.district, 2)
    assert.equal(snapshot.block, 1234n)
    assert.equal(snapshot.root, BigInt(expected.root))
    assert.deepEqual(snapshot.commitments, expected.leaves.map(BigInt))
})

test("a snapshot whose root is the chain's gives the register", () => {
    const checksumCase = ELECTION.toUpperCase().replace("0X", "0x")
    const group = registerFromSnapshot(bytes, checksumCase, 2, BigInt(expected.root))
    assert.equal(group.root, BigInt(expected.root))
    assert.equal(group.size, expected.leaves.length)
})

test("an altered, truncated or foreign snapshot is refused", () => {
    const altered = bytes.slice()
    altered[84 + 31] ^= 1
    const root = BigInt(expected.root)
    const refused = (data, election, district) =>
        assert.throws(() => registerFromSnapshot(data, election, district, root), /error\./)
    refused(altered, ELECTION, 2)
    refused(bytes.slice(0, bytes.length - 1), ELECTION, 2)
    refused(bytes, ELECTION, 1)
    refused(bytes, "0x" + "cd".repeat(20), 2)
})
