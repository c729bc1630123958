// The pages' protocol core (frontend/src/lib/protocol.js) and encodings (encoding.js) follow the
// spec and the shared rule vectors, and the page has a sentence in both languages for every
// relayer error code.   Run: node --test tests/js/
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { describe, test } from "node:test"
import { fileURLToPath } from "node:url"
import { ballotMessage } from "../../frontend/src/lib/encoding.js"
import {
    PHASES,
    SPEC,
    contractPhase,
    countedBallots,
    nextRevision,
    phaseName,
    registersFromEvents,
    relayerMessages,
    revisionRejection,
} from "../../frontend/src/lib/protocol.js"
import { STRINGS } from "../../frontend/src/lib/strings.js"

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..")
const vectors = JSON.parse(readFileSync(join(ROOT, "tests", "vectors", "rules.json"), "utf8"))

describe("rules.json", () => {
    for (const c of vectors.revision) {
        test(`revision ${c.revision} after ${c.stored}: ${c.rejection ?? "follows"}`, () => {
            assert.equal(revisionRejection(c.revision, c.stored), c.rejection)
        })
    }
    for (const c of vectors.nextRevision) {
        test(`next revision after stored ${c.stored}, pending ${c.pending} is ${c.next}`, () => {
            assert.equal(nextRevision(c.stored, c.pending), c.next)
        })
    }
    for (const c of vectors.registers) {
        test(`register: ${c.name}`, () => {
            const events = c.events.map(([district, index, commitment]) => ({
                name: "MemberAdded",
                args: { district, index, commitment },
            }))
            const { registers, gaps } = registersFromEvents(events)
            const leaves = c.leaves.map((_, district) => (registers.get(district) ?? []).map(String))
            assert.deepEqual(leaves, c.leaves)
            assert.deepEqual(gaps, c.gaps)
        })
    }
    for (const c of vectors.replacements) {
        test(`replacements: ${c.name}`, () => {
            const events = [
                ...c.events.map(([district, index, commitment]) => ({
                    name: "MemberAdded",
                    args: { district, index, commitment },
                })),
                ...c.replacements.map(([district, index, oldCommitment, newCommitment]) => ({
                    name: "MemberReplaced",
                    args: { district, index, oldCommitment, newCommitment },
                })),
            ]
            const { registers, gaps } = registersFromEvents(events)
            const leaves = c.leaves.map((_, district) => (registers.get(district) ?? []).map(String))
            assert.deepEqual(leaves, c.leaves)
            assert.deepEqual(gaps, c.gaps)
        })
    }
})

describe("phases", () => {
    test("are the spec's names, and the contract's numbers map onto them", () => {
        assert.deepEqual(PHASES, ["setup", "registration", "waiting", "voting", "appeals", "counting", "result"])
        assert.deepEqual([0, 1, 2, 3, 4, 5].map((n) => phaseName(n)), PHASES.slice(0, 6))
        assert.equal(phaseName(5, true), "result")
        assert.equal(contractPhase("voting"), 3)
        assert.throws(() => phaseName(6), RangeError)
    })
    test("every phase has a sentence in both languages", () => {
        for (const language of ["en", "ru"]) {
            for (const name of PHASES) assert.ok(STRINGS[language][`phase.${name}`], `${language} phase.${name}`)
        }
    })
})

describe("counted ballots", () => {
    const cast = (nullifier, revision, choice) => ({
        name: "BallotCast",
        args: { nullifier, revision, choice, district: 0 },
        transactionHash: `0x${revision}`,
        blockNumber: revision,
    })
    test("the latest revision of a nullifier counts, and every ballot is counted in `count`", () => {
        const counted = countedBallots([cast(7n, 1, 0), cast(8n, 1, 1), cast(7n, 2, 2)])
        assert.deepEqual([counted.get(7n).revision, counted.get(7n).choice, counted.get(7n).count], [2, 2, 2])
        assert.equal(counted.get(8n).choice, 1)
    })
    test("a ballot that does not follow the counted one never replaces it", () => {
        const counted = countedBallots([cast(7n, 1, 0), cast(7n, 3, 2), cast(7n, 1, 1)])
        assert.deepEqual([counted.get(7n).revision, counted.get(7n).choice, counted.get(7n).count], [1, 0, 3])
    })
})

describe("relayer errors", () => {
    test("every code has a sentence in English and Russian with its {detail}", () => {
        for (const [code, error] of Object.entries(SPEC.relayerErrors)) {
            for (const language of ["en", "ru"]) {
                assert.ok(error[language]?.includes("{detail}"), `${code} ${language}`)
                assert.equal(STRINGS[language][`relayer.${code}`], error[language])
            }
        }
    })
    test("the page's strings take them from the spec", () => {
        assert.deepEqual(Object.keys(relayerMessages("ru")).sort(), Object.keys(SPEC.relayerErrors).map((c) => `relayer.${c}`).sort())
    })
})

describe("encoding.js", () => {
    test("ballotMessage takes (district, choice, revision)", () => {
        assert.equal(ballotMessage(5, 1, 2), (5n << 64n) | (2n << 32n) | 1n)
    })
    test("ballotMessage refuses values a uint32 cannot hold, and revision 0", () => {
        assert.throws(() => ballotMessage(0, 0, 0), /revision/)
        assert.throws(() => ballotMessage(2 ** 32, 0, 1), /district/)
        assert.throws(() => ballotMessage(0, -1, 1), /choice/)
        assert.throws(() => ballotMessage(0, 1.5, 1), /choice/)
    })
})
