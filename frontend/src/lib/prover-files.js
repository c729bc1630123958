// The prover's files (snarkjs, the circuit's witness generator and proving key: about 6 MB),
// downloaded in the background as soon as the page opens, so that a voter who reads the page
// first never waits for them, and kept in the browser's Cache Storage for the next visit.
//
// Every file is checked against the build's SHA256SUMS before use: a truncated download or a
// stale cached copy is never handed to the prover. The files are the same for every voter, so
// caching them tells nothing about the voter beyond what the browser's HTTP cache already does
// (that this page was opened on this device).
import { PageError } from "./errors.js"
import { CIRCUIT_FILES } from "./protocol.js"

/** The files the prover of `circuit` ("plain" or "encrypted") needs, snarkjs first. */
export function proverFileNames(circuit = "plain") {
    const files = CIRCUIT_FILES[circuit]
    if (files === undefined) throw new RangeError(`no circuit ${circuit}`)
    const names = ["snarkjs.min.js", files.wasm, files.zkey, files.verificationKey]
    // The encrypted circuit's election key: each ciphertext is checked against it before sending.
    return files.electionKey === undefined ? names : [...names, files.electionKey]
}
const CACHE = "veche-prover"

const loading = new Map()
const progress = { loaded: 0, total: 0, listeners: new Set() }

/** Calls `listener({loaded, total})` (bytes) as the prover's files arrive. */
export function onProverProgress(listener) {
    progress.listeners.add(listener)
    listener({ loaded: progress.loaded, total: progress.total })
    return () => progress.listeners.delete(listener)
}

function report() {
    for (const listener of progress.listeners) listener({ loaded: progress.loaded, total: progress.total })
}

/**
 * The prover's files of `circuit` as bytes, by name: downloaded once (this call starts it if
 * nobody has), from the cache when a previous visit left a copy that still matches SHA256SUMS.
 * @returns {Promise<Record<string, Uint8Array>>}
 */
export function proverFiles(circuit = "plain") {
    if (!loading.has(circuit)) {
        loading.set(
            circuit,
            load(proverFileNames(circuit)).catch((error) => {
                loading.delete(circuit) // a later call tries again
                throw error
            }),
        )
    }
    return loading.get(circuit)
}

async function load(names) {
    const sums = await expectedDigests(names)
    const cache = await openCache()
    const entries = await Promise.all(
        names.map(async (name) => {
            const key = `${name}?sha256=${sums[name]}`
            const cached = await cache?.match(key)
            if (cached) {
                const bytes = new Uint8Array(await cached.arrayBuffer())
                if ((await digest(bytes)) === sums[name]) {
                    progress.loaded += bytes.length
                    progress.total += bytes.length
                    report()
                    return [name, bytes]
                }
            }
            const bytes = await download(name)
            if ((await digest(bytes)) !== sums[name]) {
                throw new PageError("error.proofFailed", { detail: `${name}: not the file of this build (SHA-256 differs)` })
            }
            await cache?.put(key, new Response(bytes))
            return [name, bytes]
        }),
    )
    await forgetOlderCopies(cache, names, sums)
    return Object.fromEntries(entries)
}

/**
 * Refuses a page whose verification key is not the one the election's definition pins: the
 * definition is trusted through its hash on chain, these files only through the host that
 * serves them. `pinned` is the definition's `verification_key_sha256` (absent: nothing pinned).
 * With `files`, checks the very bytes the prover verifies with; without, the build's listing
 * of them (SHA256SUMS, which every downloaded file is checked against).
 * @throws {PageError} "error.keyNotPinned"
 */
export async function requirePinnedKey(pinned, files = null, circuit = "plain") {
    if (!pinned) return
    const names = proverFileNames(circuit)
    const key = CIRCUIT_FILES[circuit].verificationKey
    const found = files === null ? (await expectedDigests(names))[key] : await digest(files[key])
    if (found !== pinned.toLowerCase()) throw new PageError("error.keyNotPinned", { found, pinned })
}

/**
 * Refuses an election key file that is not the one the election's definition pins
 * (`election_key_sha256`): the encrypted circuit and the key served with it come from the
 * page's host, the pin from the chain.
 * @throws {PageError} "error.keyNotPinned"
 */
export async function requirePinnedElectionKey(pinned, files) {
    const found = await digest(files[CIRCUIT_FILES.encrypted.electionKey])
    if (!pinned || found !== pinned.toLowerCase().replace(/^0x/, "")) {
        throw new PageError("error.keyNotPinned", { found, pinned: pinned ?? "" })
    }
}

async function expectedDigests(names) {
    const response = await fetch("SHA256SUMS", { cache: "no-cache" })
    if (!response.ok) throw new PageError("error.proofFailed", { detail: `SHA256SUMS: HTTP ${response.status}` })
    const sums = {}
    for (const line of (await response.text()).split("\n")) {
        const [hash, name] = line.trim().split(/\s+/)
        if (name) sums[name] = hash
    }
    for (const name of names) {
        if (!sums[name]) throw new PageError("error.proofFailed", { detail: `SHA256SUMS lists no ${name}` })
    }
    return sums
}

/** Cache Storage, or null where the browser refuses it (private windows, http:// on some hosts):
 * the files are then downloaded on every visit, which is slower but works. */
async function openCache() {
    try {
        return await caches.open(CACHE)
    } catch {
        return null
    }
}

/** Drops cached copies of `names` other than this build's (another circuit's stay). */
async function forgetOlderCopies(cache, names, sums) {
    if (cache === null) return
    const current = new Set(names.map((name) => `${name}?sha256=${sums[name]}`))
    for (const request of await cache.keys()) {
        const url = new URL(request.url)
        const name = url.pathname.split("/").pop()
        if (names.includes(name) && !current.has(name + url.search)) await cache.delete(request)
    }
}

async function download(name) {
    let response
    try {
        response = await fetch(name)
    } catch (error) {
        throw new PageError("error.proofFailed", { detail: `${name}: ${error?.message ?? error}` })
    }
    if (!response.ok) throw new PageError("error.proofFailed", { detail: `${name}: HTTP ${response.status}` })
    const size = Number(response.headers.get("content-length") ?? 0)
    progress.total += size
    report()
    const chunks = []
    let received = 0
    const reader = response.body.getReader()
    for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        chunks.push(value)
        received += value.length
        progress.loaded += value.length
        report()
    }
    if (size === 0) {
        progress.total += received
        report()
    }
    const bytes = new Uint8Array(received)
    let at = 0
    for (const chunk of chunks) {
        bytes.set(chunk, at)
        at += chunk.length
    }
    return bytes
}

async function digest(bytes) {
    const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))
    return Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("")
}
