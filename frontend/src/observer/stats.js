// Aggregates the election's events into what observers follow, per district: registered voters,
// voters who voted (distinct nullifiers), ballots and re-votes, exclusions, and when each of
// those counts grew. Pure: the same events always give the same figures.

/**
 * @param {Array} events parsed events in chain order (see ElectionReader.events)
 * @param {number} districtCount districts on chain
 * @param {Map<number, number>} times block number → Unix time
 */
export function electionStats(events, districtCount, times) {
    const districts = Array.from({ length: districtCount }, (_, index) => ({
        index,
        registered: 0,
        voters: 0,
        ballots: 0,
        excluded: false,
        registrations: [],
        firstBallots: [],
    }))
    const seen = new Set()
    const exclusions = []
    let result = null
    for (const event of events) {
        const time = times.get(event.blockNumber) ?? null
        const district = districts[Number(event.args?.district ?? -1)]
        switch (event.name) {
            case "MemberAdded":
                district.registered += 1
                district.registrations.push(time)
                break
            case "BallotCast": {
                district.ballots += 1
                const nullifier = BigInt(event.args.nullifier)
                if (!seen.has(nullifier)) {
                    seen.add(nullifier)
                    district.voters += 1
                    district.firstBallots.push(time)
                }
                break
            }
            case "DistrictExcluded":
                district.excluded = true
                exclusions.push({ kind: "excluded", district: district.index, time, reason: event.args.reason, evidenceHash: event.args.evidenceHash })
                break
            case "DistrictRestored":
                district.excluded = false
                exclusions.push({ kind: "restored", district: district.index, time, reason: event.args.reason })
                break
            case "ResultPublished":
                result = { hash: event.args.resultHash, time }
                break
        }
    }
    for (const district of districts) district.revotes = district.ballots - district.voters
    return { districts, exclusions, result }
}

/** Cumulative counts of `times` at up to `buckets` evenly spaced instants from `start` to `end`. */
export function cumulative(times, start, end, buckets = 24) {
    const sorted = times.filter((time) => time !== null).sort((a, b) => a - b)
    const span = Math.max(1, end - start)
    const points = []
    let count = 0
    for (let i = 0; i <= buckets; i += 1) {
        const at = start + Math.round((span * i) / buckets)
        while (count < sorted.length && sorted[count] <= at) count += 1
        points.push([at, count])
    }
    return points
}
