// docs/PROTOCOL.md's worked examples, recomputed as an outsider would: only the document, the
// rule it states (canonical JSON, keccak256) and a keccak256 from a library; nothing from this
// repository's code. If the document and the code drift apart, this test or its Python twin
// (tests/docs/test_protocol_examples.py) fails.   Run: node --test tests/js/
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { test } from "node:test"
import { fileURLToPath } from "node:url"
import { keccak256, toUtf8Bytes } from "ethers"

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..")
const DOC = readFileSync(join(ROOT, "docs", "PROTOCOL.md"), "utf8")

/** The JSON block labelled `label` and the first 32-byte hash the document gives after it. */
function example(label) {
    const fence = "```json " + label + "\n"
    const start = DOC.indexOf(fence)
    assert.notEqual(start, -1, `docs/PROTOCOL.md has no block ${label}`)
    const end = DOC.indexOf("\n```", start + fence.length)
    const json = DOC.slice(start + fence.length, end)
    const hash = DOC.slice(end).match(/hash to\s+`(0x[0-9a-f]{64})`/)
    assert.ok(hash, `no "hash to \`0x…\`" after ${label}`)
    return { value: JSON.parse(json), hash: hash[1] }
}

/** The document's canonical JSON: keys sorted in every object, no whitespace, UTF-8. */
function canonical(value) {
    const sortKeys = (v) => {
        if (Array.isArray(v)) return v.map(sortKeys)
        if (v !== null && typeof v === "object") {
            return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]))
        }
        return v
    }
    return toUtf8Bytes(JSON.stringify(sortKeys(value)))
}

/** Every number in a hashed record is an integer, and no key is outside ASCII. */
function assertPlainData(value, path = "$") {
    if (Array.isArray(value)) return value.forEach((v, i) => assertPlainData(v, `${path}[${i}]`))
    if (value !== null && typeof value === "object") {
        for (const [key, v] of Object.entries(value)) {
            assert.match(key, /^[A-Za-z_]+$/, `${path}: key ${key}`)
            assertPlainData(v, `${path}.${key}`)
        }
        return
    }
    if (typeof value === "number") assert.ok(Number.isSafeInteger(value), `${path}: ${value}`)
}

test("the definition example hashes to the hash the document gives", () => {
    const { value, hash } = example("veche-definition-example")
    assertPlainData(value)
    assert.equal(keccak256(canonical(value)), hash)
})

test("the result example hashes to the hash the document gives", () => {
    const { value, hash } = example("veche-result-example")
    assertPlainData(value)
    assert.equal(keccak256(canonical(value)), hash)
})

test("the result example names the definition example's hash", () => {
    assert.equal(example("veche-result-example").value.definitionHash, example("veche-definition-example").hash)
})

test("the result example's ballot words add up as the document defines them", () => {
    const { ballots, districts } = example("veche-result-example").value
    assert.equal(ballots.seen, ballots.counted + ballots.excluded + ballots.superseded + ballots.rejected)
    assert.equal(ballots.counted, districts.reduce((n, d) => n + d.ballots.counted, 0))
    assert.equal(ballots.excluded, districts.reduce((n, d) => n + d.ballots.excluded, 0))
    for (const d of districts) {
        const votes = d.lists.reduce((n, row) => n + row.votes, 0)
        assert.equal(votes, d.ballots.counted, `${d.id}: votes are the counted ballots`)
    }
})
