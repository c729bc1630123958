// Finding the voter's own ballot on chain without telling anyone its nullifier. Small elections:
// every event is read and filtered here. At a million: the page asks a host for one bucket of
// ballot locations (`veche recount --buckets`; the bucket is the nullifier's low bits, shared by
// about a thousand ballots), then reads every log of the election in the blocks the bucket points
// to and in the blocks after it, and believes only those logs. A bucket host can hide a ballot
// (the page then finds none), never invent or alter one; the RPC node learns which blocks were
// read, each holding many ballots.
import { PageError } from "./errors.js"
import { countedBallots } from "./protocol.js"

/**
 * The ballot of `nullifier` that counts (highest revision), or null:
 * {district, choice, revision, count, transactionHash, blockNumber}.
 * `sinceBlock` limits the search to blocks from there on (a receipt following its own ballot).
 */
export async function countedBallotOf(election, nullifier, sinceBlock = null) {
    const { reader, config } = election
    if (sinceBlock !== null) return mine(await reader.events(sinceBlock), nullifier)
    if (config.ballotBuckets === null) return mine(await reader.events(), nullifier)
    const base = config.ballotBuckets.endsWith("/") ? config.ballotBuckets : config.ballotBuckets + "/"
    const index = await fetchJson(`${base}index.json`)
    if (String(index.election).toLowerCase() !== config.election.toLowerCase() || index.chainId !== config.chainId) {
        throw new PageError("error.bucketForeign", { election: String(index.election) })
    }
    const bits = index.bits
    if (!Number.isInteger(bits) || bits < 0 || bits > 16 || !Number.isSafeInteger(index.block)) {
        throw new PageError("error.bucketMalformed", { detail: "index.json" })
    }
    const bucket = Number(nullifier & ((1n << BigInt(bits)) - 1n))
    const name = `ballots-${bucket.toString(16).padStart(Math.ceil(bits / 4), "0")}.json`
    const file = await fetchJson(base + name)
    if (file.bucket !== bucket || file.bits !== bits || !Array.isArray(file.ballots)) {
        throw new PageError("error.bucketMalformed", { detail: name })
    }
    const text = nullifier.toString()
    const blocks = [...new Set(file.ballots.filter(([n]) => n === text).map(([, block]) => block))]
    const events = []
    for (const block of blocks.filter((b) => Number.isSafeInteger(b) && b <= index.block).sort((a, b) => a - b)) {
        events.push(...(await reader.events(block, block)))
    }
    events.push(...(await reader.events(index.block + 1)))
    return mine(events, nullifier)
}

function mine(events, nullifier) {
    return countedBallots(events).get(nullifier) ?? null
}

async function fetchJson(url) {
    try {
        const response = await fetch(url, { cache: "no-store" })
        if (!response.ok) throw new Error(`HTTP ${response.status}`)
        return await response.json()
    } catch (error) {
        throw new PageError("error.bucketFetch", { detail: `${url}: ${error.message}` })
    }
}
