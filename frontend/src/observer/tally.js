// The running tally observers follow: per district the registered voters, the voters who voted
// and the ballots; per registrar its registrations; and, for the charts, how each count grew,
// in a fixed number of equal time slots across the registration and voting windows.
//
// A tally starts empty at the election's first block, or from a summary that a recount or a
// ballot box server published (`veche recount --summary`, the same shape, checked against the
// public ledger first: see summary.js), and grows by folding in new events. Pure: the same
// start and events always give the same figures.

/** Time slots per window when the page counts from the first block itself. */
export const DEFAULT_SLOTS = 48

/** The events that change a tally (and the counts of them a summary states). */
export const TALLIED = [
    "MemberAdded",
    "BallotCast",
    "RegistrarAuthorized",
    "DistrictExcluded",
    "DistrictRestored",
    "ResultPublished",
]

/** An empty tally for an election with `districtCount` districts and this calendar. */
export function emptyTally(districtCount, calendar, slots = DEFAULT_SLOTS) {
    return {
        block: -1,
        slots,
        registration: { start: calendar.registrationStart, end: calendar.registrationEnd },
        voting: { start: calendar.votingStart, end: calendar.votingEnd },
        districts: Array.from({ length: districtCount }, (_, index) => ({
            index,
            registered: 0,
            voters: 0,
            ballots: 0,
            excluded: false,
            registeredBySlot: new Array(slots).fill(0),
            votersBySlot: new Array(slots).fill(0),
        })),
        registrars: {},
        exclusions: [],
        decryptions: [],
        result: null,
        eventCounts: Object.fromEntries(TALLIED.map((name) => [name, 0])),
    }
}

/** The slot of `time` in `window` (times outside it go to its first or last slot). */
export function slotOf(time, window, slots) {
    const span = Math.max(1, window.end - window.start)
    const slot = Math.floor(((time - window.start) * slots) / span)
    return Math.min(slots - 1, Math.max(0, slot))
}

/** The instant each slot ends at (its right edge): where a cumulative chart puts its points. */
export function slotEnds(window, slots) {
    const span = Math.max(1, window.end - window.start)
    return Array.from({ length: slots }, (_, i) => window.start + Math.round((span * (i + 1)) / slots))
}

function registrar(tally, address) {
    tally.registrars[address] ??= { address, quotas: {}, registered: 0, replacementsApproved: 0, registeredBySlot: new Array(tally.slots).fill(0) }
    return tally.registrars[address]
}

/**
 * Folds events (in chain order, each with `time`, Unix seconds) into `tally`, in place.
 * A voter is counted at their first ballot (revision 1), so no list of who voted is needed.
 * An encrypted ballot counts as a ballot (turnout is public as in a plain election; its choice
 * is not); a trustee's published decryption is noted by trustee number.
 */
export function foldEvents(tally, events) {
    for (const original of events) {
        const event = original.name === "EncryptedBallotCast" ? { ...original, name: "BallotCast" } : original
        if (event.name === "DecryptionPublished") {
            tally.decryptions = [...(tally.decryptions ?? []), { trustee: Number(event.args.trustee), time: event.time }]
            continue
        }
        if (event.name === "MemberReplaced") {
            // A lost key replaced (recovery): the register's size is unchanged; the approvers'
            // public counts grow.
            for (const approver of event.args.approvers) registrar(tally, String(approver).toLowerCase()).replacementsApproved += 1
            continue
        }
        if (!(event.name in tally.eventCounts)) continue
        tally.eventCounts[event.name] += 1
        const args = event.args
        const district = tally.districts[Number(args.district ?? -1)]
        switch (event.name) {
            case "MemberAdded": {
                district.registered += 1
                district.registeredBySlot[slotOf(event.time, tally.registration, tally.slots)] += 1
                const by = registrar(tally, String(args.registrar).toLowerCase())
                by.registered += 1
                by.registeredBySlot[slotOf(event.time, tally.registration, tally.slots)] += 1
                break
            }
            case "BallotCast":
                district.ballots += 1
                if (Number(args.revision) === 1) {
                    district.voters += 1
                    district.votersBySlot[slotOf(event.time, tally.voting, tally.slots)] += 1
                }
                break
            case "RegistrarAuthorized":
                registrar(tally, String(args.registrar).toLowerCase()).quotas[String(args.district)] = Number(args.quota)
                break
            case "DistrictExcluded":
                district.excluded = true
                tally.exclusions.push({ kind: "excluded", district: district.index, time: event.time, reason: args.reason, evidenceHash: args.evidenceHash })
                break
            case "DistrictRestored":
                district.excluded = false
                tally.exclusions.push({ kind: "restored", district: district.index, time: event.time, reason: args.reason })
                break
            case "ResultPublished":
                tally.result = { hash: args.resultHash, time: event.time }
                break
        }
    }
    return tally
}

/** Running totals of per-slot counts. */
export function cumulative(counts) {
    let sum = 0
    return counts.map((count) => (sum += count))
}
