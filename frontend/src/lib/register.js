// The per-district registers, rebuilt from MemberAdded events alone: the voter's Merkle path is
// computed here, never requested from a server that could link it to the voter.
import { Group } from "@semaphore-protocol/group"
import { PageError } from "./errors.js"

/** Commitments of each district's register in leaf order: Map<district, bigint[]>. */
export function registersFromEvents(events) {
    const registers = new Map()
    for (const event of events) {
        if (event.name !== "MemberAdded") continue
        const district = Number(event.args.district)
        const index = Number(event.args.index)
        if (!registers.has(district)) registers.set(district, [])
        registers.get(district)[index] = BigInt(event.args.commitment)
    }
    return registers
}

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
 */
export function buildRegister(commitments, district, onChainRoot) {
    if (commitments.some((c) => c === undefined)) {
        throw new PageError("error.registerIncomplete", { district: district + 1 })
    }
    const group = new Group(commitments)
    if (group.root !== onChainRoot) {
        throw new PageError("error.registerMismatch", { district: district + 1 })
    }
    return group
}
