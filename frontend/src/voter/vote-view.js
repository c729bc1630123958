// Section 2: open the voter's ballot (find the district, rebuild its register, work out the
// next revision), then prove in the browser and send through the relayers.
import { countedBallotIn, countedBallotOf } from "../lib/ballot-lookup.js"
import { contractPhase, nextRevision, registersFromEvents } from "../lib/protocol.js"
import { districtLists, districtName, isEncrypted } from "../lib/definition.js"
import { byId, el, formatTime, setVisible } from "../lib/dom.js"
import { asPageError, PageError } from "../lib/errors.js"
import { nullifierOf } from "../lib/encoding.js"
import { language, onLanguageChange, t } from "../lib/i18n.js"
import { proveBallot, proveEncryptedBallot, proverReady, warmProver } from "../lib/prover.js"
import { buildRegister, findDistrict, registerFromSnapshots } from "../lib/register.js"
import { submitBallot } from "../lib/relayers.js"
import { enterStage, finishStages, setupProgress } from "./progress-view.js"
import { showReceipt } from "./receipt-view.js"
import { onSessionChange, session } from "./session.js"

/** The ballot being filled in: {district, group, counted, nullifier}, or null. */
let ballot = null
let lastStatus = null
let lastError = null

/** Events read in the background when the page opened: {at, events: Promise}, or null. */
let prefetched = null
/** Events older than this are read again when the voter opens the ballot. */
const PREFETCH_FRESH_MS = 60_000

/** Starts, while the voter reads, what a vote will need: the prover's files and worker, and
 * every event of the election (the register is rebuilt from them on this device). */
export function warmUp() {
    warmProver(circuitOf(session.election.definition))
    setupRegisterChoice()
    if (session.election.config.snapshots !== null) return // registers come from snapshots
    const events = session.election.reader.events()
    events.catch(() => {
        prefetched = null // read again on "Open my ballot", which then reports the failure
    })
    prefetched = { at: Date.now(), events }
}

/** The election's events: the background copy if it is fresh and already holds the voter's
 * commitment (a voter registered since it was read is not in it), else a new read. */
async function electionEvents(commitment) {
    const copy = prefetched
    prefetched = null
    if (copy !== null && Date.now() - copy.at < PREFETCH_FRESH_MS) {
        try {
            const events = await copy.events
            if (findDistrict(registersFromEvents(events).registers, commitment) !== null) return events
        } catch {
            // read again below
        }
    }
    return session.election.reader.events()
}

/** With register snapshots, the voter picks which to download: every district (the default:
 * its host learns nothing) or only their own (less to download; its host learns the district). */
function setupRegisterChoice() {
    const { config, definition } = session.election
    if (config.snapshots === null) return
    const select = byId("register-choice")
    const render = () => {
        const chosen = select.value
        const all = el("option", t("register.allUnknown"), { value: "all" })
        const ones = definition.districts.map((_, n) =>
            el("option", t("register.one", { name: districtName(definition, n) }), { value: String(n) }),
        )
        select.replaceChildren(all, ...ones)
        select.value = chosen || "all"
    }
    render()
    onLanguageChange(render)
    setVisible(byId("register-choice-row"), true)
}

/** The voter's district and register: from snapshots when the page has them, else rebuilt from
 * every event of the election. */
async function voterRegister(commitment) {
    const { config, definition, reader } = session.election
    if (config.snapshots !== null) {
        const value = byId("register-choice").value
        const choice = value === "all" || value === "" ? "all" : Number(value)
        return registerFromSnapshots({ config, definition, reader, choice, commitment })
    }
    const events = await electionEvents(commitment)
    const placed = registersFromEvents(events)
    const district = findDistrict(placed.registers, commitment)
    if (district === null) throw new PageError("error.notRegistered")
    const onChain = await reader.district(district)
    const group = () => buildRegister(placed.registers.get(district) ?? [], district, onChain.merkleRoot, placed.gaps)
    return { district, onChain, group, events }
}

export function setupVote() {
    setupProgress()
    document.addEventListener("veche:receipt", ({ detail: receipt }) => {
        if (receipt.status === "included" || receipt.status === "recorded") finishStages("done")
        if (receipt.status === "failed" || receipt.status === "unconfirmed") finishStages("failed")
    })
    byId("prepare-ballot").addEventListener("click", () => run(prepare))
    byId("ballot-form").addEventListener("submit", (event) => {
        event.preventDefault()
        run(cast)
    })
    onSessionChange(() => {
        ballot = null
        setVisible(byId("ballot-form"), false)
    })
    onLanguageChange(() => {
        if (ballot !== null) renderBallot()
        if (lastStatus !== null) status(...lastStatus)
        showError(lastError)
    })
}

/** Runs one step with the buttons disabled, turning any failure into a visible message. */
async function run(step) {
    const buttons = [byId("prepare-ballot"), byId("cast-ballot")]
    for (const button of buttons) button.disabled = true
    showError(null)
    try {
        await step()
    } catch (error) {
        showError(asPageError(error))
        status(null)
    } finally {
        for (const button of buttons) button.disabled = false
    }
}

/** Shows a failure (or, with null, hides it) in the section's alert, in the current language. */
function showError(failure) {
    lastError = failure
    const box = byId("vote-error")
    setVisible(box, failure !== null)
    if (failure === null) return
    box.textContent = t(failure.code, failure.params)
    box.dataset.error = failure.code
}

function status(key, params = {}) {
    lastStatus = key === null ? null : [key, params]
    byId("vote-status").textContent = key === null ? "" : t(key, params)
}

async function requireVotingOpen() {
    const { reader } = session.election
    const state = await reader.state()
    session.election.state = state
    if (state.phase !== contractPhase("voting")) {
        throw new PageError("error.votingClosed", {
            start: formatTime(state.calendar.votingStart, language()),
            end: formatTime(state.calendar.votingEnd, language()),
        })
    }
    return state
}

async function prepare() {
    if (session.identity === null) throw new PageError("vote.needIdentity")
    if (session.election === null) throw new PageError("election.loading")
    const state = await requireVotingOpen()
    status("vote.status.loading")
    const commitment = session.identity.commitment
    const found = await voterRegister(commitment)
    const { district, onChain } = found
    if (onChain.memberCount < onChain.minimumMembers) {
        throw new PageError("relayer.district_below_minimum", {
            detail: `${onChain.memberCount} < ${onChain.minimumMembers}`,
        })
    }
    const group = typeof found.group === "function" ? found.group() : found.group
    const nullifier = nullifierOf(state.scope, session.identity.secretScalar)
    ballot = { district, group, nullifier, counted: await countedBallot(nullifier, found.events) }
    status(null)
    renderBallot()
    setVisible(byId("ballot-form"), true)
    byId("choices").querySelector("input")?.focus()
}

/** The ballot of `nullifier` that counts now (highest revision), or null; from `events` when
 * the caller already read them. In the recorded mode: the last of this voter's records and
 * verified ballots that the recount will count (each record's proof verified here), so that a
 * re-vote from a new device follows it. */
async function countedBallot(nullifier, events = null) {
    if (events) return countedBallotIn(session.election, events, nullifier)
    return countedBallotOf(session.election, nullifier)
}

function pendingRevision() {
    const receipt = session.receipt
    // A ballot that failed, or a record this device found no valid copy of, holds no revision.
    return receipt !== null && receipt.nullifier === ballot.nullifier && !["failed", "unconfirmed"].includes(receipt.status)
        ? receipt.revision
        : 0
}

function renderBallot() {
    const { definition } = session.election
    byId("ballot-district").textContent = t("vote.district", {
        name: districtName(definition, ballot.district),
    })
    const previous = Math.max(ballot.counted?.revision ?? 0, pendingRevision())
    const note = byId("revote-note")
    note.textContent = t("vote.revoteNote", { revision: previous })
    setVisible(note, previous > 0)
    const checked = byId("choices").querySelector("input:checked")?.value
    const options = districtLists(definition, ballot.district).map((list, index) => {
        const id = `choice-${index}`
        const input = el("input", "", { type: "radio", name: "choice", id, value: String(index) })
        input.checked = checked === String(index)
        const label = el("label", list.name, { for: id })
        const candidates = el("small", t("vote.candidates", { names: list.candidates.join(", ") }))
        const row = el("div", "", { class: "choice" })
        row.append(input, label, candidates)
        return row
    })
    byId("choices").replaceChildren(...options)
}

async function cast() {
    const selected = byId("choices").querySelector("input:checked")
    if (selected === null) throw new PageError("vote.needChoice")
    const choice = Number(selected.value)
    try {
        await castChoice(choice)
    } catch (error) {
        finishStages("failed")
        throw error
    }
}

/** The circuit the election's ballots are proven with. */
function circuitOf(definition) {
    return isEncrypted(definition) ? "encrypted" : "plain"
}

/** Proves the ballot: a plain one, or, in an encrypted election, a sealed one whose request and
 * receipt carry no choice (only the proof's ciphertext says it, to the trustees' joint key). */
async function proveChoice({ choice, revision, state }) {
    const { definition } = session.election
    const common = { identity: session.identity, group: ballot.group, scope: state.scope, district: ballot.district, choice, revision }
    if (!isEncrypted(definition)) {
        const proved = await proveBallot({ ...common, pinnedKey: definition.verification_key_sha256 })
        return { ...proved, shownChoice: choice, request: { choice } }
    }
    const options = districtLists(definition, ballot.district).length
    const proved = await proveEncryptedBallot({
        ...common,
        options,
        pinnedKey: definition.verification_key_sha256,
        pinnedElectionKey: definition.election_key_sha256,
    })
    return { ...proved, shownChoice: null, request: {} }
}

async function castChoice(choice) {
    enterStage("download")
    await proverReady(circuitOf(session.election.definition))
    enterStage("register")
    const state = await requireVotingOpen()
    const { reader, config } = session.election
    ballot.counted = await countedBallot(ballot.nullifier)
    const onChain = await reader.district(ballot.district)
    if (onChain.merkleRoot !== ballot.group.root) {
        // The register grew since the ballot was opened: read it again.
        const found = await voterRegister(session.identity.commitment)
        ballot.group = typeof found.group === "function" ? found.group() : found.group
    }
    const revision = nextRevision(ballot.counted?.revision ?? 0, pendingRevision())
    enterStage("prove")
    const { proof, publicSignals, shownChoice, request: extra } = await proveChoice({ choice, revision, state })
    enterStage("send")
    const request = { election: config.election, district: ballot.district, ...extra, revision, proof, publicSignals }
    const { relayer } = await submitBallot(config.relayers, request, config.relayerTimeoutMs, (url, reason) => {
        status("vote.status.skipped", { relayer: url, reason })
    })
    status(null)
    enterStage("included")
    showReceipt({
        nullifier: BigInt(publicSignals[1]),
        district: ballot.district,
        choice: shownChoice,
        revision,
        relayer,
        status: "queued",
        transactionHash: null,
        blockNumber: null,
        reason: null,
        sentAtBlock: state.blockNumber,
    })
    renderBallot()
}
