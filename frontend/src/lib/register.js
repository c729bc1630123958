// The voter's register, rebuilt on this device from MemberAdded events (small elections) or from
// register snapshots (register-tree.js, at a million): the voter's Merkle path is computed here,
// never requested from a server that could link it to the voter.
import { Group } from "@semaphore-protocol/group"
import { PageError } from "./errors.js"
import { indexOfCommitment, loadHasher, RegisterTree } from "./register-tree.js"

/** The district whose register holds `commitment`, or null. */
export function findDistrict(registers, commitment) {
    for (const [district, commitments] of registers) {
        if (commitments.includes(commitment)) return district
    }
    return null
}

/**
 * The LeanIMT of one district, checked against the root the contract holds; a mismatch means
 * the events the RPC returned are incomplete or forged, and no proof made on them would count.
 * `gaps` are the leaves the events did not place exactly once (`registersFromEvents`).
 */
export function buildRegister(commitments, district, onChainRoot, gaps = []) {
    if (gaps.some(([gapDistrict]) => gapDistrict === district)) {
        throw new PageError("error.registerIncomplete", { district: district + 1 })
    }
    const group = new Group(commitments)
    if (group.root !== onChainRoot) {
        throw new PageError("error.registerMismatch", { district: district + 1 })
    }
    return group
}

const SNAPSHOT_MAGIC = "VECHSNP1"
const SNAPSHOT_HEADER = 84

/**
 * Reads a register snapshot's header (`veche register snapshot`; layout in
 * backend/veche/register/snapshot.py): the chain, election, district, block and root it claims,
 * and its body, the commitments in leaf order as 32-byte big-endian words. Refuses a malformed
 * file; the root it claims proves nothing until the page rebuilds it.
 */
export function readSnapshot(bytes) {
    const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)
    if (data.length < SNAPSHOT_HEADER) throw new PageError("error.snapshotMalformed", {})
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
    const magic = new TextDecoder().decode(data.subarray(0, 8))
    const count = view.getUint32(48)
    if (magic !== SNAPSHOT_MAGIC || data.length !== SNAPSHOT_HEADER + 32 * count) {
        throw new PageError("error.snapshotMalformed", {})
    }
    return {
        chainId: view.getBigUint64(8),
        election: "0x" + hex(data, 16, 36),
        district: view.getUint32(36),
        block: view.getBigUint64(40),
        count,
        root: BigInt("0x" + hex(data, 52, 84)),
        body: data.subarray(SNAPSHOT_HEADER),
    }
}

function hex(data, from, to) {
    return Array.from(data.subarray(from, to), (b) => b.toString(16).padStart(2, "0")).join("")
}

/** A snapshot with its commitments as numbers (for small registers and tests). */
export function parseSnapshot(bytes) {
    const { body, count, ...header } = readSnapshot(bytes)
    const commitments = new Array(count)
    for (let i = 0; i < count; i++) commitments[i] = BigInt("0x" + hex(body, 32 * i, 32 * i + 32))
    return { ...header, commitments }
}

/**
 * The register of one district from its snapshot, refused unless the snapshot is of this
 * election and district and its rebuilt root is the root the contract holds: a snapshot host
 * can withhold a register, never substitute one.
 */
export function registerFromSnapshot(bytes, election, district, onChainRoot) {
    const snapshot = parseSnapshot(bytes)
    if (snapshot.election !== election.toLowerCase() || snapshot.district !== district) {
        throw new PageError("error.registerMismatch", { district: district + 1 })
    }
    return buildRegister(snapshot.commitments, district, onChainRoot)
}

/** The snapshot file of district `number` (`veche register snapshot` names it so). */
export function snapshotUrl(config, definition, number) {
    const base = config.snapshots.endsWith("/") ? config.snapshots : config.snapshots + "/"
    return new URL(`${base}register-${definition.districts[number].id}.bin`, document.baseURI).href
}

let hasher = null

/**
 * The voter's district and its register, from register snapshots: `choice` is a district
 * number (only that file is downloaded: its host learns the district) or "all" (every file is
 * downloaded and searched here: the host learns nothing). Nothing sent names the commitment or
 * its leaf. The register is rebuilt here (Poseidon in wasm) and refused unless its root is the
 * one the contract holds now; a snapshot older than the chain's register is refused as stale.
 * @returns {Promise<{district: number, group: RegisterTree}>}
 */
export async function registerFromSnapshots({ config, definition, reader, choice, commitment }) {
    hasher ??= loadHasher("register-hash.wasm").catch((error) => {
        hasher = null
        throw new PageError("error.registerDownload", { detail: `register-hash.wasm: ${error.message}` })
    })
    const numbers = choice === "all" ? definition.districts.map((_, n) => n) : [choice]
    const snapshots = await downloadAll(numbers.map((n) => snapshotUrl(config, definition, n)))
    for (const [position, bytes] of snapshots.entries()) {
        const district = numbers[position]
        const snapshot = readSnapshot(bytes)
        if (snapshot.election !== config.election.toLowerCase() || snapshot.district !== district) {
            throw new PageError("error.registerMismatch", { district: district + 1 })
        }
        if (indexOfCommitment(snapshot.body, snapshot.count, commitment) < 0) continue
        const onChain = await reader.district(district)
        if (snapshot.count < onChain.memberCount) {
            throw new PageError("error.registerStale", {
                district: district + 1,
                count: snapshot.count,
                expected: onChain.memberCount,
            })
        }
        // A second core, where there is one, hashes half the register.
        const cores = globalThis.navigator?.hardwareConcurrency ?? 1
        const group = await RegisterTree.build(await hasher, snapshot.body, snapshot.count, {
            worker: cores > 1 ? () => new Worker("register-worker.js") : null,
        })
        if (group.root !== onChain.merkleRoot) {
            throw new PageError("error.registerMismatch", { district: district + 1 })
        }
        return { district, group, onChain }
    }
    throw new PageError("error.notRegistered")
}

/** Every URL's bytes, four downloads at a time, in the order given. */
async function downloadAll(urls) {
    const out = new Array(urls.length)
    let next = 0
    const one = async () => {
        while (next < urls.length) {
            const at = next++
            try {
                const response = await fetch(urls[at])
                if (!response.ok) throw new Error(`HTTP ${response.status}`)
                out[at] = new Uint8Array(await response.arrayBuffer())
            } catch (error) {
                throw new PageError("error.registerDownload", { detail: `${urls[at]}: ${error.message}` })
            }
        }
    }
    await Promise.all(Array.from({ length: Math.min(4, urls.length) }, one))
    return out
}
