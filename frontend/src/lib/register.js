// The voter's register, rebuilt from MemberAdded events alone (protocol.js places the leaves):
// the voter's Merkle path is computed here, never requested from a server that could link it to
// the voter.
import { Group } from "@semaphore-protocol/group"
import { PageError } from "./errors.js"

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
 * Reads a register snapshot (`veche register snapshot`; layout in
 * backend/veche/register/snapshot.py): one district's commitments in leaf order, with the chain,
 * election, district, block and root it claims. Refuses a malformed file; the root it claims
 * proves nothing until `registerFromSnapshot` rebuilds it.
 */
export function parseSnapshot(bytes) {
    const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)
    if (data.length < SNAPSHOT_HEADER) throw new PageError("error.snapshotMalformed", {})
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
    const magic = new TextDecoder().decode(data.subarray(0, 8))
    const count = view.getUint32(48)
    if (magic !== SNAPSHOT_MAGIC || data.length !== SNAPSHOT_HEADER + 32 * count) {
        throw new PageError("error.snapshotMalformed", {})
    }
    const hex = (from, to) =>
        Array.from(data.subarray(from, to), (b) => b.toString(16).padStart(2, "0")).join("")
    const commitments = new Array(count)
    for (let i = 0; i < count; i++) {
        const start = SNAPSHOT_HEADER + 32 * i
        commitments[i] = BigInt("0x" + hex(start, start + 32))
    }
    return {
        chainId: view.getBigUint64(8),
        election: "0x" + hex(16, 36),
        district: view.getUint32(36),
        block: view.getBigUint64(40),
        root: BigInt("0x" + hex(52, 84)),
        commitments,
    }
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
