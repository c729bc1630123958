// The protocol core for the pages: the constants of spec/protocol.json (imported, never
// restated) and the rules the page applies to public data. Python's twin is veche.protocol;
// tests/js/protocol.test.mjs and tests/protocol/ keep the two in step.
import spec from "../../../spec/protocol.json" with { type: "json" }

export const SPEC = spec

/** Phase names in calendar order (one vocabulary with the contract, Python and the pages). */
export const PHASES = spec.phases.map((phase) => phase.name)

/** The phase the contract's number stands for; its `Final` is "counting" until a result is
 * published, then "result". */
export function phaseName(contractIndex, resultPublished = false) {
    const names = spec.phases.filter((phase) => phase.contract === contractIndex).map((phase) => phase.name)
    if (names.length === 0) throw new RangeError(`the contract has no phase number ${contractIndex}`)
    return resultPublished ? names.at(-1) : names[0]
}

/** The contract's number of the phase `name`. */
export function contractPhase(name) {
    const phase = spec.phases.find((candidate) => candidate.name === name)
    if (phase === undefined) throw new RangeError(`no phase named ${name}`)
    return phase.contract
}

/** The depth the circuit's Merkle proofs are padded to. */
export const TREE_DEPTH = spec.register.depth

/** The circuit's files, as the build copies them next to the page. */
export const ZK_FILES = { wasm: spec.zk.wasm, zkey: spec.zk.zkey, verificationKey: spec.zk.verificationKey }

/** The encrypted ballot circuit's files (of the election key the page was built for). */
export const ENCRYPTED_ZK_FILES = spec.encryption.circuit.pageFiles

/** Each circuit's files, by the name the prover knows it by. */
export const CIRCUIT_FILES = { plain: ZK_FILES, encrypted: ENCRYPTED_ZK_FILES }

/** `K`: entries of an encrypted ballot, whatever the district's number of options. */
export const ENCRYPTED_OPTIONS = spec.encryption.options

/** `l`: the order of Baby Jubjub's prime-order subgroup (the ElGamal randomness is below it). */
export const GROUP_ORDER = BigInt(spec.encryption.groupOrder)

/** The revision of a voter's next ballot: the step after what the chain stores (0 if none) and
 * after any revision already handed to a relayer but not on chain yet (`pending`). */
export function nextRevision(stored, pending = 0) {
    return Math.max(stored, pending) + spec.revision.step
}

/** Why a ballot of `revision` cannot follow the stored revision (the relayer's and the
 * contract's code: "stale_revision" or "revision_gap"), or null if it can: exactly the next. */
export function revisionRejection(revision, stored) {
    if (revision <= stored) return "stale_revision"
    if (revision !== nextRevision(stored)) return "revision_gap"
    return null
}

/** The layout of one record of the recorded mode, by ballot secrecy ("plain" or "encrypted"):
 * {bytes, layout: [{field, bytes}]}, big-endian without padding. */
export const RECORD_LAYOUTS = { plain: spec.ballotModes.record, encrypted: spec.encryption.record }

/** Bytes that are not a whole number of records (what no contract logs: a node that alters
 * logs, or a decoder given the wrong secrecy). */
export class MalformedRecords extends Error {
    constructor(message) {
        super(message)
        this.name = "MalformedRecords"
    }
}

/** Fields read as a list of 32-byte numbers (the packed proof, the ciphertext's coordinates). */
const WORD_FIELDS = new Set(["proof", "ciphertext"])

/**
 * The records of one `BallotsRecorded` batch (`records`: 0x hex, as the log carries it, or
 * bytes), decoded with the layout of `secrecy`: [{nullifier: bigint, proof: bigint[8],
 * district, choice (null in an encrypted record), revision, ciphertext (34 bigints, encrypted
 * only)}]. Python's twin: veche.protocol.records.decode_records.
 * @throws {MalformedRecords} unless the bytes are a whole, non-zero number of records
 */
export function decodeRecords(records, secrecy = "plain") {
    const layout = RECORD_LAYOUTS[secrecy]
    if (layout === undefined) throw new RangeError(`no ballot secrecy ${secrecy}`)
    const hex = recordsHex(records)
    const size = layout.bytes * 2
    if (hex.length === 0 || hex.length % size !== 0) {
        throw new MalformedRecords(
            `${hex.length / 2} bytes is not a whole number of ${layout.bytes}-byte records`,
        )
    }
    const decoded = []
    for (let start = 0; start < hex.length; start += size) {
        const record = { choice: null }
        let at = start
        for (const { field, bytes } of layout.layout) {
            const chunk = hex.slice(at, at + 2 * bytes)
            at += 2 * bytes
            if (WORD_FIELDS.has(field)) {
                record[field] = []
                for (let i = 0; i < chunk.length; i += 64) record[field].push(BigInt(`0x${chunk.slice(i, i + 64)}`))
            } else {
                const value = BigInt(`0x${chunk}`)
                record[field] = bytes <= 6 ? Number(value) : value
            }
        }
        decoded.push(record)
    }
    return decoded
}

/** A batch's bytes as lower-case hex without 0x (`MalformedRecords` if they are not bytes). */
function recordsHex(records) {
    if (records instanceof Uint8Array) return Array.from(records, (b) => b.toString(16).padStart(2, "0")).join("")
    const text = String(records)
    const hex = text.startsWith("0x") || text.startsWith("0X") ? text.slice(2) : text
    if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
        throw new MalformedRecords("the records are not hexadecimal bytes")
    }
    return hex.toLowerCase()
}

/**
 * One nullifier's ballots (or everyone's, with `nullifier` null) in chain order: block, log
 * index, then position in a batch. Each is a `BallotCast`/`EncryptedBallotCast` log (`kind`
 * "cast", its proof verified on chain) or, with `records`, a record of a `BallotsRecorded`
 * log (`kind` "record", with its `proof`, `batch` key and `index`, `ciphertext` if
 * encrypted, and `marked` if a `RecordedBallotInvalid` among `events` names it).
 * @throws {MalformedRecords} for a batch that is not a whole number of records
 */
export function ballotStream(events, { nullifier = null, secrecy = "plain", records = false } = {}) {
    const marks = new Set()
    for (const event of events) {
        if (event.name === "RecordedBallotInvalid") marks.add(`${String(event.args.batch).toLowerCase()}:${Number(event.args.index)}`)
    }
    const wanted = nullifier === null ? null : nullifier.toString(16).padStart(64, "0")
    const stream = []
    for (const event of events) {
        const where = { blockNumber: event.blockNumber, logIndex: event.logIndex ?? 0, transactionHash: event.transactionHash }
        if (event.name === "BallotCast" || event.name === "EncryptedBallotCast") {
            const owner = BigInt(event.args.nullifier)
            if (nullifier !== null && owner !== nullifier) continue
            stream.push({
                kind: "cast",
                nullifier: owner,
                district: Number(event.args.district),
                // An encrypted ballot counts by the same rule; its choice is sealed (null here).
                choice: event.name === "BallotCast" ? Number(event.args.choice) : null,
                revision: Number(event.args.revision),
                position: 0,
                ...where,
            })
        } else if (records && event.name === "BallotsRecorded") {
            const hex = recordsHex(event.args.records)
            const size = RECORD_LAYOUTS[secrecy].bytes * 2
            if (hex.length === 0 || hex.length % size !== 0) decodeRecords(hex, secrecy) // throws
            const batch = String(event.args.batch).toLowerCase()
            for (let start = 0, index = 0; start < hex.length; start += size, index += 1) {
                // Only this nullifier's records are decoded (its 32 bytes lead each record).
                if (wanted !== null && hex.slice(start, start + 64) !== wanted) continue
                const [record] = decodeRecords(hex.slice(start, start + size), secrecy)
                stream.push({
                    kind: "record",
                    ...record,
                    batch,
                    index,
                    marked: marks.has(`${batch}:${index}`),
                    position: index,
                    ...where,
                })
            }
        }
    }
    return stream.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex || a.position - b.position)
}

/**
 * The counted ballot per nullifier, and how many ballots each nullifier cast, from its ballots
 * in chain order (`ballotStream`). A ballot counts if its proof is valid and its revision is
 * the last counted one's next; an invalid one never advances the sequence. A cast log's proof
 * was verified on chain; a record's (recorded mode) is judged by `valid(record)`, and records
 * are read only when `valid` is given. `fromStart`: the events reach back to the election's
 * first block, so the first counted revision must be the first revision (the recount's rule);
 * otherwise the first valid ballot seen is taken as counted (a lookup that reads only the
 * blocks a bucket names, or those since a ballot was sent).
 * @returns {Map<bigint, {district: number, choice: number | null, revision: number, count: number,
 *   transactionHash: string, blockNumber: number, kind: string}>}
 */
export function countedBallots(events, { nullifier = null, secrecy = "plain", valid = null, fromStart = false } = {}) {
    const counts = new Map()
    const ballots = new Map()
    for (const ballot of ballotStream(events, { nullifier, secrecy, records: valid !== null })) {
        const count = (counts.get(ballot.nullifier) ?? 0) + 1
        counts.set(ballot.nullifier, count)
        const previous = ballots.get(ballot.nullifier)
        if (previous) previous.count = count
        if (previous === undefined ? fromStart && revisionRejection(ballot.revision, 0) !== null
            : revisionRejection(ballot.revision, previous.revision) !== null) continue
        // Asked only of a record whose revision follows: the others never count, valid or not.
        if (ballot.kind === "record" && !valid(ballot)) continue
        const { district, choice, revision, transactionHash, blockNumber, kind } = ballot
        ballots.set(ballot.nullifier, { district, choice, revision, count, transactionHash, blockNumber, kind })
    }
    return ballots
}

/**
 * Each district's register from MemberAdded events, its leaves placed by the event's index
 * (never by arrival order), then every MemberReplaced applied in chain order (a recovered lost
 * key: the leaf holds the new commitment), and every leaf not placed exactly once or replaced
 * from a commitment it did not hold: a gap means the events an RPC node returned are incomplete
 * or forged, and no proof made on them would count.
 * @returns {{registers: Map<number, bigint[]>, gaps: Array<[number, number]>}}
 */
export function registersFromEvents(events) {
    const placed = new Map()
    const gaps = []
    const replacements = []
    for (const event of events) {
        if (event.name === "MemberReplaced") replacements.push(event)
        if (event.name !== "MemberAdded") continue
        const district = Number(event.args.district)
        const index = Number(event.args.index)
        if (!placed.has(district)) placed.set(district, new Map())
        const leaves = placed.get(district)
        if (leaves.has(index)) gaps.push([district, index])
        else leaves.set(index, BigInt(event.args.commitment))
    }
    const registers = new Map()
    for (const [district, leaves] of placed) {
        const last = Math.max(-1, ...leaves.keys())
        for (let index = 0; index <= last; index += 1) if (!leaves.has(index)) gaps.push([district, index])
        registers.set(district, [...leaves.keys()].sort((a, b) => a - b).map((index) => leaves.get(index)))
    }
    for (const event of replacements) {
        const district = Number(event.args.district)
        const index = Number(event.args.index)
        const leaves = registers.get(district)
        if (leaves === undefined || index >= leaves.length) {
            gaps.push([district, index])
            continue
        }
        if (leaves[index] !== BigInt(event.args.oldCommitment)) gaps.push([district, index])
        leaves[index] = BigInt(event.args.newCommitment)
    }
    return { registers, gaps }
}

/** The page's sentence for each relayer error code in `language`: {"relayer.<code>": text}. */
export function relayerMessages(language) {
    return Object.fromEntries(
        Object.entries(spec.relayerErrors).map(([code, error]) => [`relayer.${code}`, error[language]]),
    )
}
