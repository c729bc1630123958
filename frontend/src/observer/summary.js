// A published summary of the election up to one block (`veche recount --summary`, or any ballot
// box server that serves the same file), so that the observers' page of a million-voter
// election opens in seconds instead of reading two million events. Nobody has to trust it: the
// page checks it against the public ledger at the summary's block (the block itself, every
// district's register size, root and exclusion, the number of voters, the published result)
// and against itself (every sum), and uses it only if all agree; else it reads every event.
import { PageError } from "../lib/errors.js"
import { shortReason } from "../lib/chain.js"
import { TALLIED } from "./tally.js"

export const SUMMARY_FORMAT = "veche-observers-summary/1"

/** Downloads the summary at `url`: its JSON, or a PageError. */
export async function fetchSummary(url) {
    try {
        const response = await fetch(url, { cache: "no-store" })
        if (!response.ok) throw new Error(`HTTP ${response.status}`)
        return await response.json()
    } catch (error) {
        throw new PageError("error.summary", { detail: `${url}: ${shortReason(error)}` })
    }
}

const same = (a, b) => String(a).toLowerCase() === String(b).toLowerCase()

/** What is wrong with the summary on its own and against the election's public state. */
export function summaryProblems(summary, election) {
    const { config, state } = election
    const problems = []
    const expect = (ok, what) => { if (!ok) problems.push(what) }
    expect(summary?.format === SUMMARY_FORMAT, `format ${summary?.format} is not ${SUMMARY_FORMAT}`)
    if (problems.length > 0) return problems
    expect(same(summary.election, config.election), `election ${summary.election}`)
    expect(summary.chainId === config.chainId, `chainId ${summary.chainId}`)
    expect(same(summary.definitionHash, state.definitionHash), `definitionHash ${summary.definitionHash}`)
    expect(Number.isSafeInteger(summary.block) && summary.block <= state.blockNumber, `block ${summary.block}`)
    expect(summary.registration?.start === state.calendar.registrationStart && summary.registration?.end === state.calendar.registrationEnd, "registration window")
    expect(summary.voting?.start === state.calendar.votingStart && summary.voting?.end === state.calendar.votingEnd, "voting window")
    expect(Array.isArray(summary.districts) && summary.districts.length === state.districtCount, "district count")
    expect(Number.isSafeInteger(summary.slots) && summary.slots > 0 && summary.slots <= 10_000, `slots ${summary.slots}`)
    expect(Array.isArray(summary.registrars) && typeof summary.eventCounts === "object", "registrars or eventCounts missing")
    if (problems.length > 0) return problems
    const total = (items, key) => items.reduce((sum, item) => sum + item[key], 0)
    const sums = (items) => items.reduce((sum, n) => sum + n, 0)
    summary.districts.forEach((d, i) => {
        expect(d.index === i, `district ${i}: index ${d.index}`)
        for (const key of ["registered", "voters", "ballots"]) expect(Number.isSafeInteger(d[key]) && d[key] >= 0, `district ${i}: ${key}`)
        expect(d.voters <= d.registered && d.voters <= d.ballots, `district ${i}: more voters than registered or ballots`)
        for (const key of ["registeredBySlot", "votersBySlot"]) {
            expect(Array.isArray(d[key]) && d[key].length === summary.slots && d[key].every((n) => Number.isSafeInteger(n) && n >= 0), `district ${i}: ${key}`)
        }
        expect(sums(d.registeredBySlot ?? []) === d.registered, `district ${i}: registrations over time add up to ${sums(d.registeredBySlot ?? [])}, not ${d.registered}`)
        expect(sums(d.votersBySlot ?? []) === d.voters, `district ${i}: voters over time add up to ${sums(d.votersBySlot ?? [])}, not ${d.voters}`)
    })
    for (const r of summary.registrars) {
        expect(Array.isArray(r.registeredBySlot) && r.registeredBySlot.length === summary.slots && sums(r.registeredBySlot) === r.registered, `registrar ${r.address}: registrations over time`)
    }
    const counts = summary.eventCounts
    expect(TALLIED.every((name) => Number.isSafeInteger(counts[name])), "eventCounts")
    expect(counts.MemberAdded === total(summary.districts, "registered"), `MemberAdded ${counts.MemberAdded} events, ${total(summary.districts, "registered")} registered`)
    expect(counts.MemberAdded === total(summary.registrars, "registered"), `MemberAdded ${counts.MemberAdded} events, ${total(summary.registrars, "registered")} by registrars`)
    expect(counts.BallotCast === total(summary.districts, "ballots"), `BallotCast ${counts.BallotCast} events, ${total(summary.districts, "ballots")} ballots`)
    return problems
}

/** What the public ledger, read at the summary's block, says otherwise (few requests: one per
 * district plus three, whatever the number of voters). */
export async function ledgerProblems(summary, reader) {
    const at = { blockTag: summary.block }
    const problems = []
    try {
        const [block, voters, result, ...districts] = await Promise.all([
            reader.provider.getBlock(summary.block),
            reader.contract.ballotCount(at),
            reader.contract.resultHash(at),
            ...summary.districts.map((_, i) => reader.contract.districtState(i, at)),
        ])
        if (!block || !same(block.hash, summary.blockHash)) problems.push(`block ${summary.block}: hash ${block?.hash}, summary ${summary.blockHash}`)
        if (block && block.timestamp !== summary.blockTime) problems.push(`block ${summary.block}: time ${block.timestamp}, summary ${summary.blockTime}`)
        const counted = summary.districts.reduce((sum, d) => sum + d.voters, 0)
        if (Number(voters) !== counted) problems.push(`voters: ${voters} on the ledger, ${counted} in the summary`)
        const published = BigInt(result) === 0n ? null : result
        if (!same(published, summary.result?.hash ?? null)) problems.push(`result: ${published} on the ledger, ${summary.result?.hash ?? null} in the summary`)
        districts.forEach((chain, i) => {
            const d = summary.districts[i]
            if (Number(chain.memberCount) !== d.registered) problems.push(`district ${i}: ${chain.memberCount} registered on the ledger, ${d.registered} in the summary`)
            if (BigInt(chain.merkleRoot) !== BigInt(d.merkleRoot)) problems.push(`district ${i}: register root ${chain.merkleRoot} on the ledger, ${d.merkleRoot} in the summary`)
            if (chain.excluded !== d.excluded) problems.push(`district ${i}: excluded ${chain.excluded} on the ledger, ${d.excluded} in the summary`)
        })
    } catch (error) {
        problems.push(`the ledger could not be read at block ${summary.block}: ${shortReason(error)}`)
    }
    return problems
}

/** The summary as a tally to fold new events into (see tally.js). */
export function tallyFromSummary(summary) {
    return {
        block: summary.block,
        slots: summary.slots,
        registration: { ...summary.registration },
        voting: { ...summary.voting },
        districts: summary.districts.map((d) => ({
            index: d.index,
            registered: d.registered,
            voters: d.voters,
            ballots: d.ballots,
            excluded: d.excluded,
            registeredBySlot: [...d.registeredBySlot],
            votersBySlot: [...d.votersBySlot],
        })),
        registrars: Object.fromEntries(summary.registrars.map((r) => [r.address.toLowerCase(), {
            address: r.address.toLowerCase(),
            quotas: { ...r.quotas },
            registered: r.registered,
            replacementsApproved: Number(r.replacementsApproved ?? 0),
            registeredBySlot: [...r.registeredBySlot],
        }])),
        exclusions: [...(summary.exclusions ?? [])],
        decryptions: [],
        result: summary.result ?? null,
        eventCounts: { ...summary.eventCounts },
    }
}
