// Finding the voter's own ballot on chain without telling anyone its nullifier. Small elections:
// every event is read and filtered here. At a million: the page asks a host for one bucket of
// ballot locations (`veche recount --buckets`; the bucket is the nullifier's low bits, shared by
// about a thousand voters), then reads every log of the election in the one block its entry
// points to and in the blocks after the bucket was written, and believes only those logs. A
// bucket host can hide a ballot (the page then finds none), never invent or alter one; the RPC
// node learns which blocks were read, each holding many ballots.
//
// What one lookup may download is bounded: a relayer can post copies of a voter's record in
// thousands of blocks, and a bucket host can list any blocks. An honest bucket names one block a
// nullifier and counts the other records; the page refuses a bucket that names more, downloads
// at most LOOKUP_BYTES of logs and BUCKET_BYTES of bucket, and says so, pointing to the
// recount, instead of downloading the whole ballot stream.
//
// In the recorded ballot mode the chain verifies no record: the lookup reads this voter's
// records (and verified single ballots) from the same logs, verifies each record's proof here
// (only those the revision rule would count, each distinct one once, at most RECORD_CHECKS),
// and applies the recount's rule (lib/protocol.js `countedBallots`). What it finds is recorded
// with a valid proof, which the recount will count; it says so, never "counted".
import { isEncrypted, isRecorded } from "./definition.js"
import { recordSignals, unpackProof } from "./encoding.js"
import { PageError } from "./errors.js"
import { ballotStream, countedBallots, MalformedRecords } from "./protocol.js"
import { verifyProof } from "./prover.js"

/** Log data one lookup may download (bytes). */
export const LOOKUP_BYTES = 32_000_000
/** Largest bucket file the page reads (an honest one at a million voters: about 100 kB). */
export const BUCKET_BYTES = 4_000_000
/** Other records of one nullifier beyond which the page warns of copies. */
export const MANY_COPIES = 16
/** Distinct records of one nullifier whose proofs one lookup may verify (recorded mode): each
 * takes a tenth of a second or so; more means someone posts junk under this receipt number. */
export const RECORD_CHECKS = 32

/**
 * The ballot of `nullifier` that counts (highest revision), or null:
 * {district, choice, revision, count, copies, transactionHash, blockNumber}; `copies` is the
 * bucket's count of other records with the nullifier (0 without buckets).
 * `sinceBlock` limits the search to blocks from there on (a receipt following its own ballot).
 */
export async function countedBallotOf(election, nullifier, sinceBlock = null) {
    const { reader, config } = election
    const budget = config.ballotBuckets === null ? null : { left: LOOKUP_BYTES }
    if (sinceBlock !== null) return mine(election, await reader.events(sinceBlock, undefined, [], budget), nullifier)
    if (config.ballotBuckets === null) return mine(election, await reader.events(), nullifier, true)
    const base = config.ballotBuckets.endsWith("/") ? config.ballotBuckets : config.ballotBuckets + "/"
    const index = await fetchJson(`${base}index.json`, BUCKET_BYTES)
    if (String(index.election).toLowerCase() !== config.election.toLowerCase() || index.chainId !== config.chainId) {
        throw new PageError("error.bucketForeign", { election: String(index.election) })
    }
    const bits = index.bits
    if (!Number.isInteger(bits) || bits < 0 || bits > 16 || !Number.isSafeInteger(index.block)) {
        throw new PageError("error.bucketMalformed", { detail: "index.json" })
    }
    const bucket = Number(nullifier & ((1n << BigInt(bits)) - 1n))
    const name = `ballots-${bucket.toString(16).padStart(Math.ceil(bits / 4), "0")}.json`
    const file = await fetchJson(base + name, BUCKET_BYTES)
    if (file.bucket !== bucket || file.bits !== bits || !Array.isArray(file.ballots)) {
        throw new PageError("error.bucketMalformed", { detail: name })
    }
    const text = nullifier.toString()
    const entries = file.ballots.filter((entry) => Array.isArray(entry) && entry[0] === text)
    if (entries.length > 1) throw new PageError("error.bucketSuspicious", { entries: entries.length })
    const events = []
    let copies = 0
    if (entries.length === 1) {
        const [, block, others] = entries[0]
        copies = Number.isSafeInteger(others) && others > 0 ? others : 0
        if (Number.isSafeInteger(block) && block <= index.block) {
            events.push(...(await reader.events(block, block, [], budget)))
        }
    }
    events.push(...(await reader.events(index.block + 1, undefined, [], budget)))
    const ballot = await mine(election, events, nullifier)
    return ballot === null ? null : { ...ballot, count: ballot.count + copies, copies }
}

/** The ballot of `nullifier` that counts among `events`, every event of the election from its
 * first block (the voter's page already read them to rebuild the register). */
export function countedBallotIn(election, events, nullifier) {
    return mine(election, events, nullifier, true)
}

/**
 * The ballot of `nullifier` that counts among `events`, or null; `recorded` is true in the
 * recorded mode (its proof verified here: the recount will count it). `fromStart`: the events
 * reach back to the election's first block (else the first valid ballot read is taken as the
 * counted one: a bucket names its block).
 */
async function mine(election, events, nullifier, fromStart = false) {
    const { definition } = election
    if (!isRecorded(definition)) {
        const ballot = countedBallots(events, { nullifier }).get(nullifier)
        return ballot === undefined ? null : { ...ballot, copies: 0, recorded: false }
    }
    const secrecy = isEncrypted(definition) ? "encrypted" : "plain"
    try {
        ballotStream(events, { nullifier, secrecy, records: true })
    } catch (error) {
        if (error instanceof MalformedRecords) throw new PageError("error.recordsMalformed", { detail: error.message })
        throw error
    }
    // The rule asks for a record's verdict only when its revision would follow; the first
    // record it asks about that is not verified yet is verified, and the rule runs again.
    const verdicts = new Map()
    const check = recordCheck(election, secrecy)
    for (;;) {
        let asked = null
        const valid = (record) => {
            const key = recordKey(record)
            if (verdicts.has(key)) return verdicts.get(key)
            asked ??= record
            return false
        }
        const ballot = countedBallots(events, { nullifier, secrecy, valid, fromStart }).get(nullifier)
        if (asked === null) return ballot === undefined ? null : { ...ballot, copies: 0, recorded: true }
        if (verdicts.size >= RECORD_CHECKS) throw new PageError("error.tooManyRecords", { records: verdicts.size })
        verdicts.set(recordKey(asked), await check(asked))
    }
}

/** What a record's verdict depends on: its fields and proof (copies share one verdict). */
function recordKey(record) {
    return [record.nullifier, record.district, record.choice, record.revision, ...record.proof, ...(record.ciphertext ?? [])].join(",")
}

/** Verifies a record's proof as the recount does: against its district's register root (frozen
 * while voting is open), the election's scope and, for a sealed ballot, the district's number
 * of options, with the verification key the definition pins. */
function recordCheck(election, secrecy) {
    const { reader, state, definition } = election
    const districts = new Map()
    return async (record) => {
        if (!Number.isInteger(record.district) || record.district >= state.districtCount) return false
        if (!districts.has(record.district)) districts.set(record.district, await reader.district(record.district))
        const district = districts.get(record.district)
        let publicSignals
        try {
            publicSignals = recordSignals(record, { root: district.merkleRoot, scope: state.scope, options: district.optionCount })
        } catch {
            return false // a revision or choice no message can hold: no proof is for it
        }
        const proof = unpackProof(record.proof)
        if (proof === null) return false
        const circuit = secrecy === "encrypted" ? "encrypted" : "plain"
        try {
            return await verifyProof({ circuit, publicSignals, proof, pinnedKey: definition.verification_key_sha256 })
        } catch (error) {
            // A key other than the pinned one is a danger to say as such; any other failure
            // (the files did not download) leaves the record unjudged, never judged invalid.
            if (error instanceof PageError && error.code === "error.keyNotPinned") throw error
            throw new PageError("error.recordCheckFailed", { detail: error instanceof PageError ? String(error.params.detail ?? error.code) : String(error?.message ?? error) })
        }
    }
}

/** A JSON file of at most `limit` bytes: a larger one is refused, not downloaded further. */
async function fetchJson(url, limit) {
    let response
    let text = ""
    try {
        response = await fetch(url, { cache: "no-store" })
        if (!response.ok) throw new Error(`HTTP ${response.status}`)
        const reader = response.body.getReader()
        const decoder = new TextDecoder()
        for (let read = 0; ; ) {
            const { done, value } = await reader.read()
            if (done) break
            read += value.length
            if (read > limit) {
                await reader.cancel()
                throw new PageError("error.bucketTooLarge", { url, limit: Math.round(limit / 1e6) })
            }
            text += decoder.decode(value, { stream: true })
        }
        text += decoder.decode()
    } catch (error) {
        if (error instanceof PageError) throw error
        throw new PageError("error.bucketFetch", { detail: `${url}: ${error.message}` })
    }
    try {
        return JSON.parse(text)
    } catch (error) {
        throw new PageError("error.bucketMalformed", { detail: `${url}: ${error.message}` })
    }
}
