// The ballots on chain, from BallotCast events: the counted ballot of each nullifier is the one
// with the highest revision (the contract accepts exactly the stored revision plus one, so the
// revisions of a nullifier on chain are 1, 2, 3...).

/**
 * The counted ballot per nullifier and how many ballots each nullifier cast.
 * @returns {Map<bigint, {district: number, choice: number, revision: number, count: number,
 *   transactionHash: string, blockNumber: number}>}
 */
export function countedBallots(events) {
    const ballots = new Map()
    for (const event of events) {
        if (event.name !== "BallotCast") continue
        const nullifier = BigInt(event.args.nullifier)
        const previous = ballots.get(nullifier)
        const revision = Number(event.args.revision)
        const count = (previous?.count ?? 0) + 1
        if (previous && previous.revision >= revision) {
            previous.count = count
            continue
        }
        ballots.set(nullifier, {
            district: Number(event.args.district),
            choice: Number(event.args.choice),
            revision,
            count,
            transactionHash: event.transactionHash,
            blockNumber: event.blockNumber,
        })
    }
    return ballots
}

/**
 * The revision a new ballot of this voter must carry: exactly one more than the latest one seen
 * (counted on chain or still pending at a relayer). The contract refuses any other revision: a
 * lower one would turn a re-vote back, a higher one could be the last that can ever be cast.
 */
export function nextRevision(counted, pendingRevision = 0) {
    return Math.max(counted?.revision ?? 0, pendingRevision) + 1
}
