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
import { PageError } from "./errors.js"
import { countedBallots } from "./protocol.js"

/** Log data one lookup may download (bytes). */
export const LOOKUP_BYTES = 32_000_000
/** Largest bucket file the page reads (an honest one at a million voters: about 100 kB). */
export const BUCKET_BYTES = 4_000_000
/** Other records of one nullifier beyond which the page warns of copies. */
export const MANY_COPIES = 16

/**
 * The ballot of `nullifier` that counts (highest revision), or null:
 * {district, choice, revision, count, copies, transactionHash, blockNumber}; `copies` is the
 * bucket's count of other records with the nullifier (0 without buckets).
 * `sinceBlock` limits the search to blocks from there on (a receipt following its own ballot).
 */
export async function countedBallotOf(election, nullifier, sinceBlock = null) {
    const { reader, config } = election
    const budget = config.ballotBuckets === null ? null : { left: LOOKUP_BYTES }
    if (sinceBlock !== null) return mine(await reader.events(sinceBlock, undefined, [], budget), nullifier)
    if (config.ballotBuckets === null) return mine(await reader.events(), nullifier)
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
    const ballot = mine(events, nullifier)
    return ballot === null ? null : { ...ballot, count: ballot.count + copies, copies }
}

function mine(events, nullifier) {
    const ballot = countedBallots(events).get(nullifier)
    return ballot === undefined ? null : { ...ballot, copies: 0 }
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
