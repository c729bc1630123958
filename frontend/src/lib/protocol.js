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

/**
 * The counted ballot per nullifier, from BallotCast (and EncryptedBallotCast) events in chain
 * order, and how many ballots each nullifier cast.
 * @returns {Map<bigint, {district: number, choice: number | null, revision: number, count: number,
 *   transactionHash: string, blockNumber: number}>}
 */
export function countedBallots(events) {
    const ballots = new Map()
    for (const event of events) {
        // An encrypted ballot counts by the same rule; its choice is sealed (null here).
        if (event.name !== "BallotCast" && event.name !== "EncryptedBallotCast") continue
        const nullifier = BigInt(event.args.nullifier)
        const previous = ballots.get(nullifier)
        const revision = Number(event.args.revision)
        const count = (previous?.count ?? 0) + 1
        if (previous && revisionRejection(revision, previous.revision) !== null) {
            previous.count = count
            continue
        }
        ballots.set(nullifier, {
            district: Number(event.args.district),
            choice: event.name === "BallotCast" ? Number(event.args.choice) : null,
            revision,
            count,
            transactionHash: event.transactionHash,
            blockNumber: event.blockNumber,
        })
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
