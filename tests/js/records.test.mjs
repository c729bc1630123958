// The page's decoder of the recorded mode's records against tests/vectors/records.json, which
// Python's encoder wrote (tests/vectors/generate_records.py): every field of every record, the
// refusal of bytes that are not whole records, the public signals the recount rebuilds (a real
// proof verifies with snarkjs only for its own record), and the recount's rule on one voter's
// records and verified ballots.   Run: node --test tests/js/
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { describe, test } from "node:test"
import { fileURLToPath } from "node:url"
import * as snarkjs from "snarkjs"
import { recordSignals, unpackProof, BASE_FIELD } from "../../frontend/src/lib/encoding.js"
import {
    MalformedRecords,
    RECORD_LAYOUTS,
    ballotStream,
    countedBallots,
    decodeRecords,
} from "../../frontend/src/lib/protocol.js"

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..")
const V = JSON.parse(readFileSync(join(ROOT, "tests", "vectors", "records.json"), "utf8"))
const VKEY = JSON.parse(readFileSync(join(ROOT, JSON.parse(readFileSync(join(ROOT, "tests", "vectors", "proofs.json"))).verificationKey)))

/** A decoded record as the vector file writes it (numbers as decimal strings, bytes as hex). */
function asVector(record) {
    const out = {
        nullifier: record.nullifier.toString(),
        proof: record.proof.map(String),
        district: record.district,
    }
    if (record.ciphertext === undefined) out.choice = record.choice
    out.revision = record.revision
    if (record.ciphertext !== undefined) out.ciphertext = record.ciphertext.map((w) => w.toString(16).padStart(64, "0")).join("")
    return out
}

describe("records.json", () => {
    test("its record sizes are the spec's", () => {
        assert.equal(V.recordBytes, RECORD_LAYOUTS.plain.bytes)
        assert.equal(V.encryptedRecordBytes, RECORD_LAYOUTS.encrypted.bytes)
    })

    test("a plain batch decodes to every field of its records (0x hex, as a log carries it)", () => {
        assert.deepEqual(decodeRecords(`0x${V.plain.bytes}`).map(asVector), V.plain.records)
    })

    test("a plain batch given as bytes decodes the same", () => {
        assert.deepEqual(decodeRecords(Buffer.from(V.plain.bytes, "hex")).map(asVector), V.plain.records)
    })

    test("an encrypted batch decodes to every field, no choice", () => {
        const decoded = decodeRecords(`0x${V.encrypted.bytes}`, "encrypted")
        assert.ok(decoded.every((r) => r.choice === null && r.ciphertext.length === 34))
        assert.deepEqual(decoded.map(asVector), V.encrypted.records)
    })

    for (const c of V.malformed) {
        test(`${c.name} (${c.length} bytes, ${c.secrecy}) is refused with a clear error`, () => {
            assert.throws(
                () => decodeRecords(`0x${c.bytes}`, c.secrecy),
                (error) =>
                    error instanceof MalformedRecords &&
                    error.message === `${c.length} bytes is not a whole number of ${RECORD_LAYOUTS[c.secrecy].bytes}-byte records`,
            )
        })
        test(`${c.name} in a BallotsRecorded log stops the stream with the same error`, () => {
            const log = { name: "BallotsRecorded", args: { batch: "0x01", relayer: "0x02", records: `0x${c.bytes}` }, blockNumber: 1, logIndex: 0 }
            assert.throws(() => ballotStream([log], { records: true, secrecy: c.secrecy }), MalformedRecords)
        })
    }

    test("bytes that are not hex are refused, not misread", () => {
        assert.throws(() => decodeRecords("0x12g4"), MalformedRecords)
        assert.throws(() => decodeRecords("0x123"), MalformedRecords)
    })

    for (const c of V.proofChecks) {
        test(`${c.name}: the rebuilt signals ${c.valid ? "verify" : "do not verify"} with its proof`, async () => {
            const { nullifier, proof, district, choice, revision } = c.record
            const claimed = { nullifier: BigInt(nullifier), proof: proof.map(BigInt), district, choice, revision }
            const signals = recordSignals(claimed, { root: c.root, scope: c.scope })
            if (c.valid) assert.deepEqual(signals, c.publicSignals)
            assert.equal(await snarkjs.groth16.verify(VKEY, signals, unpackProof(claimed.proof)), c.valid)
        })
    }

    test("a proof coordinate not below p is refused before snarkjs sees it", () => {
        const [record] = decodeRecords(`0x${V.plain.bytes}`)
        assert.ok(unpackProof(record.proof) !== null)
        const shifted = [record.proof[0] + BASE_FIELD, ...record.proof.slice(1)]
        assert.equal(unpackProof(shifted), null)
    })
})

describe("the recount's rule on one voter's records", () => {
    const NULLIFIER = 7n
    const record = (revision, valid, block, choice = 0, nullifier = NULLIFIER) => ({ revision, valid, block, choice, nullifier })
    /** A BallotsRecorded log of `records` in `block` (real encoding: nullifier, proof, district, choice, revision). */
    function batch(block, records) {
        const hex = records.map((r) => [
            r.nullifier.toString(16).padStart(64, "0"),
            (r.valid ? "11" : "ee").repeat(256),
            "00",
            r.choice.toString(16).padStart(8, "0"),
            r.revision.toString(16).padStart(8, "0"),
        ].join("")).join("")
        return { name: "BallotsRecorded", args: { batch: `0x${block.toString(16).padStart(64, "0")}`, records: `0x${hex}` }, blockNumber: block, logIndex: 0, transactionHash: `0xt${block}` }
    }
    const cast = (revision, block, choice = 0) => ({ name: "BallotCast", args: { nullifier: NULLIFIER, district: 0, choice, revision }, blockNumber: block, logIndex: 1, transactionHash: `0xc${block}` })
    // A record's proof is "valid" here when its proof bytes are 0x11 (the real check is snarkjs').
    const valid = (r) => r.proof[0] === BigInt(`0x${"11".repeat(32)}`)
    const counted = (events, fromStart = true) => countedBallots(events, { nullifier: NULLIFIER, valid, fromStart }).get(NULLIFIER)

    test("without `valid` records are not read (the verified mode's stream)", () => {
        assert.equal(countedBallots([batch(1, [record(1, true, 1)])]).size, 0)
    })

    test("an invalid record with a higher revision never advances the sequence", () => {
        const events = [batch(1, [record(1, true, 1, 2)]), batch(2, [record(2, false, 2, 1)]), batch(3, [record(3, false, 3, 1)])]
        const ballot = counted(events)
        assert.equal(ballot.revision, 1)
        assert.equal(ballot.choice, 2)
        assert.equal(ballot.count, 3)
        assert.equal(ballot.blockNumber, 1)
    })

    test("a valid record that skips a revision does not count; the next one does", () => {
        const events = [batch(1, [record(1, true, 1), record(3, true, 1, 1)]), batch(2, [record(2, true, 2, 2)])]
        assert.equal(counted(events).revision, 2)
        assert.equal(counted(events).choice, 2)
    })

    test("from the first block the first counted revision must be the first", () => {
        assert.equal(counted([batch(4, [record(2, true, 4)])]), undefined)
        assert.equal(counted([batch(4, [record(2, true, 4)])], false).revision, 2)
    })

    test("records and verified single ballots form one sequence, in block, log and batch order", () => {
        const events = [cast(2, 5, 1), batch(3, [record(1, true, 3)]), batch(5, [record(3, true, 5, 2)])]
        // block 5: the batch (log 0) before the cast (log 1): revision 3 is a gap, 2 follows 1
        assert.equal(counted(events).revision, 2)
        assert.equal(counted(events).kind, "cast")
    })

    test("another voter's records are not decoded, and a challenge mark is carried", () => {
        const other = batch(1, [record(1, true, 1, 0, 8n), record(1, true, 1)])
        const mark = { name: "RecordedBallotInvalid", args: { batch: other.args.batch, index: 1n, nullifier: NULLIFIER }, blockNumber: 2, logIndex: 0 }
        const stream = ballotStream([other, mark], { nullifier: NULLIFIER, records: true })
        assert.equal(stream.length, 1)
        assert.equal(stream[0].index, 1)
        assert.equal(stream[0].marked, true)
    })
})

test.after(() => {
    globalThis.curve_bn128?.terminate()
})
